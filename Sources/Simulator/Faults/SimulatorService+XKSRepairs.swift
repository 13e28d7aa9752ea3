import Foundation
import KeyStoreEngine
import XKSProxy

/// What the simulator does to undo the cause of each XKS ConnectionErrorCode, for the console's guided repair.
/// The proxy is the customer's: a repair of it changes the embedded proxy's state (`$CKS_HOME/xks-proxy`), as
/// `cks xks-proxy fault clear` would; a repair of the network changes the world (routes, endpoint services).
/// Values the store needs (a credential, a URI path) come back in the context for UpdateCustomKeyStore: a
/// repair never changes the store itself.
///
/// | code | action |
/// |---|---|
/// | XKS_PROXY_NOT_REACHABLE | `routeProxyHost` when the host has no route, else `clearProxyFaults` |
/// | XKS_PROXY_TIMED_OUT, XKS_PROXY_ACCESS_DENIED, XKS_PROXY_INVALID_RESPONSE | `clearProxyFaults` |
/// | XKS_PROXY_INVALID_TLS_CONFIGURATION | `reissueProxyCertificate` |
/// | INVALID_CREDENTIALS | `clearProxyFaults` (a refused credential), then `useProxyCredential` |
/// | XKS_PROXY_INVALID_CONFIGURATION | `useProxyUriPath` |
/// | XKS_VPC_ENDPOINT_SERVICE_NOT_FOUND / _INVALID_CONFIGURATION | `repairEndpointService` |
/// | INTERNAL_ERROR | none: it happens once, connect again |
extension SimulatorService {
    /// The action that undoes the cause of `code` for an external key store (the code it failed with; the repair
    /// runs after the disconnect that clears it), nil when connecting again is the whole fix.
    public func xksRepairAction(for code: ConnectionErrorCode, ofKeyStore id: String) async throws(KMSError) -> SimulatedRepairAction? {
        let routed = try await read { tx in
            let store = try tx.requireKeyStore(id: id)
            return try XKSRouteRecord.fetchOne(tx.db, key: XKSStoreChecks.host(of: store.xksUriEndpoint ?? "")) != nil
        }
        switch code {
        case .xksProxyNotReachable: return routed ? .clearProxyFaults : .routeProxyHost
        case .xksProxyTimedOut, .xksProxyAccessDenied, .xksProxyInvalidResponse: return .clearProxyFaults
        case .xksProxyInvalidTLSConfiguration: return .reissueProxyCertificate
        case .invalidCredentials: return .useProxyCredential
        case .xksProxyInvalidConfiguration: return .useProxyUriPath
        case .xksVPCEndpointServiceNotFound, .xksVPCEndpointServiceInvalidConfiguration: return .repairEndpointService
        default: return nil
        }
    }

    /// Applies an external key store's repair; nil when the action is not one of them.
    func applyXKSRepair(_ action: SimulatedRepairAction, context: RepairContext) async throws(KMSError) -> SimulatedRepairResult? {
        var result = context
        let description: String
        switch action {
        case .routeProxyHost:
            guard let host = context.xksHost else { throw notExternal(context) }
            description = try await apply(.routeXKSHost(host: host, target: .embedded))
        case .clearProxyFaults:
            description = try changeEmbeddedProxy { proxy throws(XKSProxyError) in
                _ = try proxy.updateFaults { $0 = ProxyFaults() }
                return "Cleared every fault of the proxy in \(home.path)/xks-proxy"
            }
        case .reissueProxyCertificate:
            description = try changeEmbeddedProxy { proxy throws(XKSProxyError) in
                _ = try proxy.updateFaults { $0.certificate = nil }
                return "The proxy serves a valid certificate from the cks CA for \(context.xksHost ?? "its hosts") again"
            }
        case .useProxyCredential:
            guard let path = context.xksUriPath else { throw notExternal(context) }
            let prefix = Self.prefix(of: path)
            let credential = try changeEmbeddedProxy { proxy throws(XKSProxyError) -> ProxyCredential in
                _ = try proxy.updateFaults { $0.refusedAccessKeyIds = [] }
                guard let newest = try proxy.snapshot().stores[prefix]?.credentials.last else {
                    throw XKSProxyError("The proxy has no logical key store at \(path). Make one with `cks xks-proxy init --uri-path-prefix \(prefix)`.")
                }
                return newest
            }
            result.xksCredential = XKSProxyCredential(accessKeyId: credential.accessKeyId, rawSecretAccessKey: credential.secretAccessKey)
            description = "The proxy accepts \(credential.accessKeyId) for \(path): give the store that credential"
        case .useProxyUriPath:
            let accessKeyId: String? = try await read { tx in try tx.requireKeyStore(id: context.storeId).xksAccessKeyId }
            let store = try changeEmbeddedProxy { proxy throws(XKSProxyError) -> LogicalKeyStore in
                let stores = try proxy.snapshot().stores.values
                guard let store = stores.first(where: { $0.credentials.contains { $0.accessKeyId == accessKeyId } }) else {
                    throw XKSProxyError("The proxy has no logical key store that accepts \(accessKeyId ?? "the store's credential"). See `cks xks-proxy status`.")
                }
                return store
            }
            result.xksUriPath = store.uriPath
            description = "The proxy serves the store's credential at \(store.uriPath): give the store that URI path"
        case .repairEndpointService:
            guard let service = context.vpcEndpointServiceName else { throw notExternal(context) }
            description = try await apply(.repairEndpointService(name: service))
        default:
            return nil
        }
        await xksNetwork.embedded.reload()
        return SimulatedRepairResult(description: description, context: result)
    }

    /// Runs `change` on the embedded proxy's state file.
    private func changeEmbeddedProxy<T>(_ change: (ProxyDatabase) throws(XKSProxyError) -> T) throws(KMSError) -> T {
        do throws(XKSProxyError) {
            let proxy = try ProxyDatabase.open(home: home, create: false)
            defer { proxy.close() }
            return try change(proxy)
        } catch {
            throw KMSError(.validation, error.message)
        }
    }

    private func notExternal(_ context: RepairContext) -> KMSError {
        KMSError(.validation, "Store \(context.storeId) is not an external key store: the simulator has no proxy repair for it.")
    }

    /// `/a/b` for `/a/b/kms/xks/v1`.
    static func prefix(of uriPath: String) -> String {
        uriPath.range(of: "/kms/xks/", options: .backwards).map { String(uriPath[..<$0.lowerBound]) } ?? uriPath
    }
}
