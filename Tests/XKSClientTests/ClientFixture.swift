import Foundation
import KeyStoreEngine
import LocalCA
import XKS
import XKSClient
import XKSProxy

/// A real proxy on loopback (HTTPS, the cks CA of a temporary home) with one logical key store and its
/// keys (`foo` for both usages, `encrypt-only`, `disabled`), and a client trusting that CA.
struct ClientFixture {
    static let prefix = "/tests/client"
    static let uriPath = prefix + "/kms/xks/v1"
    static let region = "us-east-1"

    let home: URL
    let credential: XKSProxyCredential
    let database: ProxyDatabase
    let proxy: RunningXKSProxy
    let ca: LocalCA

    /// `timeout` is generous by default (a loaded machine's first TLS handshake is slow); the timeout
    /// tests pass KMS's own.
    static func start() async throws -> ClientFixture {
        let home = FileManager.default.temporaryDirectory.appending(path: "cks-xks-client-\(UUID().uuidString)")
        let database = try ProxyDatabase.open(home: home, create: true)
        let secret = ProxyCredential(accessKeyId: CredentialRules.generateAccessKeyId(),
                                     secretAccessKey: CredentialRules.generateSecret(), createdAt: Date())
        try database.addKeyStore(prefix: prefix, credential: secret)
        try database.createKey(prefix: prefix, id: "foo", usages: [.encrypt, .decrypt], now: Date())
        try database.createKey(prefix: prefix, id: "encrypt-only", usages: [.encrypt], now: Date())
        try database.createKey(prefix: prefix, id: "disabled", usages: [.encrypt, .decrypt], now: Date())
        try database.setKeyEnabled(prefix: prefix, id: "disabled", enabled: false)
        let ca = try LocalCA.loadOrCreate(home: home)
        let proxy = try await RunningXKSProxy.start(
            home: home, host: "127.0.0.1", port: 0, tls: ProxyTLSOptions(ca: ca, hostNames: ProxyTLSOptions.loopbackNames),
            threads: 1)
        return ClientFixture(home: home, credential: XKSProxyCredential(accessKeyId: secret.accessKeyId, rawSecretAccessKey: secret.secretAccessKey),
                             database: database, proxy: proxy, ca: ca)
    }

    var address: XKSProxyAddress { XKSProxyAddress(host: "localhost", address: "127.0.0.1", port: proxy.port) }

    func client(timeout: Duration = .seconds(20), roots: [String]? = nil) -> XKSProxyClient {
        XKSProxyClient(configuration: XKSClientConfiguration(trustRootsPEM: roots ?? [ca.certificatePEM], region: Self.region,
                                                             timeout: timeout))
    }

    /// Changes the faults and makes the running proxy follow them now.
    func faults(_ change: (inout ProxyFaults) -> Void) async throws {
        _ = try database.updateFaults { change(&$0) }
        try await proxy.reload()
    }

    func stop() async {
        await proxy.stop()
        database.close()
        try? FileManager.default.removeItem(at: home)
    }

    /// The lines of the proxy's request log.
    var requestLog: [String] {
        ((try? String(contentsOfFile: RequestLog.fileURL(home: home).path, encoding: .utf8)) ?? "")
            .split(separator: "\n").map(String.init)
    }

    static func metadata(_ operation: String) -> XKSRequestMetadata {
        XKSRequestMetadata(kmsRequestId: UUID().uuidString.lowercased(), kmsOperation: operation,
                           awsPrincipalArn: "arn:aws:iam::111122223333:user/tests",
                           kmsKeyArn: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab")
    }

    func health(_ client: XKSProxyClient, uriPath: String = uriPath, credential: XKSProxyCredential? = nil,
                at address: XKSProxyAddress? = nil) async -> Result<XKSProxyHealth.Report, XKSCallFailure> {
        await client.getHealthStatus(at: address ?? self.address, uriPath: uriPath, credential: credential ?? self.credential,
                                     kmsOperation: "ConnectCustomKeyStore", kmsRequestId: UUID().uuidString.lowercased())
    }
}

extension Result {
    var failure: Failure? {
        if case let .failure(failure) = self { return failure }
        return nil
    }

    var value: Success? {
        if case let .success(value) = self { return value }
        return nil
    }
}
