import Foundation
import KeyStoreEngine

/// Everything one GetHealthStatus call to a store's proxy needs, read from the world beforehand (a call never
/// runs inside a write transaction).
struct ProxyHealthRequest: Sendable {
    /// The host of `XksProxyUriEndpoint`: the Host header, the TLS server name and the certificate's name.
    var host: String
    var uriPath: String
    var credential: XKSProxyCredential
    /// Where the world routes `host`; nil when it has no route (the name does not resolve).
    var route: XKSRouteTarget?
    /// Every host the world routes to the embedded proxy: its certificate covers them all.
    var embeddedHosts: [String]
    /// CreateCustomKeyStore, UpdateCustomKeyStore, ConnectCustomKeyStore or KmsHealthCheck.
    var kmsOperation: String
}

/// What one GetHealthStatus call came to.
struct ProxyHealthCall: Sendable {
    /// The answer, or the ConnectionErrorCode of the failure with what happened on the wire.
    var health: XKSProxyHealth
    /// The exception Create and Update throw for the failure (nil when the proxy answered well).
    var keyStoreError: KMSError?
}

/// The simulated KMS's GetHealthStatus calls to external key store proxies.
protocol ProxyHealthChecker: Sendable {
    func checkHealth(_ request: ProxyHealthRequest, at now: Date) async -> ProxyHealthCall
}

extension WorldTransaction {
    /// The request for a GetHealthStatus call with `settings` (a store's, or the new values of an update).
    func healthRequest(for settings: XKSProxySettings, kmsOperation: String) throws -> ProxyHealthRequest {
        let host = XKSStoreChecks.host(of: settings.uriEndpoint)
        let routes = try XKSRouteRecord.fetchAll(db)
        let route = try routes.first { $0.host == host }.map { record throws(KMSError) in try XKSRouteTarget(parsing: record.target) }
        return ProxyHealthRequest(host: host, uriPath: settings.uriPath, credential: settings.credential, route: route,
                                  embeddedHosts: routes.filter { $0.target == "embedded" }.map(\.host).sorted(),
                                  kmsOperation: kmsOperation)
    }
}
