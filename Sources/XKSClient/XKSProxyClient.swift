import Foundation
import KeyStoreEngine
import NIOCore
import NIOPosix
import NIOSSL
import SigV4
import XKS

/// The simulated KMS's client for external key store proxies: signed JSON POSTs over HTTPS (TLS 1.2 or
/// later, trusting only the configured roots, the certificate checked against the endpoint's host), KMS's
/// timeout per attempt with one retry after a timeout, keep-alive connections reused per address, and every
/// outcome classified as an `XKSCallFailure`. One per process (or per simulator service).
public final class XKSProxyClient: Sendable {
    public let configuration: XKSClientConfiguration
    private let tls: Result<NIOSSLContext, XKSCallFailure>
    private let pool = XKSConnectionPool()
    private let group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton

    public init(configuration: XKSClientConfiguration) {
        self.configuration = configuration
        tls = Self.makeContext(trustRootsPEM: configuration.trustRootsPEM)
    }

    // MARK: The four proxy APIs

    /// GetHealthStatus (`kmsOperation` CreateCustomKeyStore, UpdateCustomKeyStore, ConnectCustomKeyStore or
    /// KmsHealthCheck). An answer whose key manager instances are all UNAVAILABLE is `notReachable`.
    public func getHealthStatus(
        at address: XKSProxyAddress, uriPath: String, credential: XKSProxyCredential,
        kmsOperation: String, kmsRequestId: String
    ) async -> Result<XKSProxyHealth.Report, XKSCallFailure> {
        let request = XKSHealthRequest(requestMetadata: XKSRequestMetadata(kmsRequestId: kmsRequestId, kmsOperation: kmsOperation))
        let path = XKSOperation.getHealthStatus.path(uriPath: uriPath, keyId: nil)
        return await call(address, path: path, credential: credential, body: request, answer: XKSHealthResponse.self)
            .flatMap(XKSAnswerRules.health)
    }

    /// GetKeyMetadata (CreateKey sends it with `kmsOperation` CreateKey).
    public func getKeyMetadata(
        at address: XKSProxyAddress, uriPath: String, credential: XKSProxyCredential, keyId: String,
        metadata: XKSRequestMetadata
    ) async -> Result<XKSKeyMetadataAnswer, XKSCallFailure> {
        let path = XKSOperation.getKeyMetadata.path(uriPath: uriPath, keyId: keyId)
        return await call(address, path: path, credential: credential, body: XKSKeyMetadataRequest(requestMetadata: metadata),
                          answer: XKSKeyMetadataResponse.self)
            .flatMap(XKSAnswerRules.keyMetadata)
    }

    /// Encrypt with AES_GCM, asking for the ciphertext data integrity value and checking it against `aad`.
    public func encrypt(
        at address: XKSProxyAddress, uriPath: String, credential: XKSProxyCredential, keyId: String,
        plaintext: [UInt8], aad: [UInt8]?, metadata: XKSRequestMetadata
    ) async -> Result<XKSEncryptAnswer, XKSCallFailure> {
        let request = XKSEncryptRequest(
            requestMetadata: metadata, plaintext: XKSBase64.encode(plaintext),
            additionalAuthenticatedData: aad.map(XKSBase64.encode), ciphertextDataIntegrityValueAlgorithm: XKSAlgorithm.sha256)
        let path = XKSOperation.encrypt.path(uriPath: uriPath, keyId: keyId)
        return await call(address, path: path, credential: credential, body: request, answer: XKSEncryptResponse.self)
            .flatMap { XKSAnswerRules.encrypt($0, plaintextCount: plaintext.count, aad: aad ?? []) }
    }

    /// Decrypt what `encrypt` answered, with the same `aad`.
    public func decrypt(
        at address: XKSProxyAddress, uriPath: String, credential: XKSProxyCredential, keyId: String,
        answer: XKSEncryptAnswer, aad: [UInt8]?, metadata: XKSRequestMetadata
    ) async -> Result<[UInt8], XKSCallFailure> {
        let request = XKSDecryptRequest(
            requestMetadata: metadata, ciphertext: XKSBase64.encode(answer.ciphertext),
            ciphertextMetadata: answer.ciphertextMetadata.isEmpty ? nil : XKSBase64.encode(answer.ciphertextMetadata),
            additionalAuthenticatedData: aad.map(XKSBase64.encode),
            initializationVector: XKSBase64.encode(answer.initializationVector),
            authenticationTag: XKSBase64.encode(answer.authenticationTag))
        let path = XKSOperation.decrypt.path(uriPath: uriPath, keyId: keyId)
        return await call(address, path: path, credential: credential, body: request, answer: XKSDecryptResponse.self)
            .flatMap { XKSAnswerRules.decrypt($0, ciphertextCount: answer.ciphertext.count) }
    }

    /// Closes the kept-alive connections; calls made afterwards fail as not reachable.
    public func shutdown() async {
        await pool.close()
    }

    /// Idle keep-alive connections kept for `address`.
    public func idleConnections(to address: XKSProxyAddress) -> Int {
        pool.idleCount(address)
    }

    // MARK: One call: sign, send (one retry after a timeout), classify

    private func call<Body: Encodable, Answer: Decodable>(
        _ address: XKSProxyAddress, path: String, credential: XKSProxyCredential, body: Body, answer: Answer.Type
    ) async -> Result<Answer, XKSCallFailure> {
        let context: NIOSSLContext
        switch tls {
        case let .success(made): context = made
        case let .failure(failure): return .failure(failure)
        }
        guard !pool.isClosed else { return .failure(.notReachable("the XKS client is shut down")) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        guard let json = try? encoder.encode(body) else { return .failure(.invalidResponse("the request could not be encoded")) }
        let request = sign(path: path, host: address.host, body: Array(json), credential: credential)
        var result = await attempt(request, address: address, context: context)
        if case .failure(.timedOut) = result {
            result = await attempt(request, address: address, context: context)
        }
        return result.flatMap { Self.classify($0, as: Answer.self) }
    }

    /// Signs as KMS does: `host;x-amz-date` (no X-Amz-Content-Sha256), Content-Type added after signing.
    private func sign(path: String, host: String, body: [UInt8], credential: XKSProxyCredential) -> SigV4Request {
        let signer = SigV4Signer(
            credentials: AWSCredentials(accessKeyId: credential.accessKeyId, secretAccessKey: credential.rawSecretAccessKey),
            region: configuration.region, service: Self.signingService)
        var request = signer.sign(SigV4Request(method: "POST", path: path, headers: [("Host", host)], body: body), date: Date())
        request.headers.append((name: "Content-Type", value: "application/json"))
        return request
    }

    /// The SigV4 signing name of the XKS Proxy API.
    public static let signingService = "kms-xks-proxy"

    /// One attempt within the timeout: on a kept-alive connection when one is idle (one the proxy closed
    /// meanwhile is dropped and the next is tried), else on a new one.
    private func attempt(
        _ request: SigV4Request, address: XKSProxyAddress, context: NIOSSLContext
    ) async -> Result<XKSHTTPAnswer, XKSCallFailure> {
        let deadline = NIODeadline.now() + TimeAmount.nanoseconds(Self.nanoseconds(configuration.timeout))
        while let idle = pool.take(address) {
            switch await idle.exchange(request, deadline: deadline) {
            case let .success(answer):
                if answer.keepAlive { pool.giveBack(idle, for: address) }
                return .success(answer)
            case .failure(.closed):
                continue
            case let .failure(failure):
                return .failure(Self.classify(failure))
            }
        }
        let connection: XKSConnection
        switch await XKSConnection.open(to: address, context: context, group: group, deadline: deadline) {
        case let .success(opened): connection = opened
        case let .failure(failure): return .failure(Self.classify(failure))
        }
        switch await connection.exchange(request, deadline: deadline) {
        case let .success(answer):
            if answer.keepAlive { pool.giveBack(connection, for: address) }
            return .success(answer)
        case let .failure(failure):
            return .failure(Self.classify(failure))
        }
    }

    static func classify(_ failure: XKSAttemptFailure) -> XKSCallFailure {
        switch failure {
        case let .noConnection(detail): .notReachable(detail)
        case let .tls(detail): .tls(detail)
        case .timedOut: .timedOut
        case let .closed(detail): .notReachable("the connection was lost before an answer: \(detail)")
        case let .malformed(detail): .invalidResponse(detail)
        }
    }

    /// 200 with the operation's JSON answer; an XKS error body; 429 and 503 as an unreachable proxy;
    /// anything else is an invalid response.
    static func classify<Answer: Decodable>(_ answer: XKSHTTPAnswer, as type: Answer.Type) -> Result<Answer, XKSCallFailure> {
        if answer.status == 200 {
            guard let decoded = try? JSONDecoder().decode(Answer.self, from: Data(answer.body)) else {
                let shown = String(decoding: answer.body.prefix(60), as: UTF8.self)
                return .failure(.invalidResponse("HTTP 200 with a body that is not the JSON answer expected: \(shown)"))
            }
            return .success(decoded)
        }
        switch answer.status {
        case XKSError.Name.throttling.httpStatus: return .failure(.unreachableStatus(answer.status, .throttling))
        case XKSError.Name.dependencyTimeout.httpStatus: return .failure(.unreachableStatus(answer.status, .dependencyTimeout))
        default: break
        }
        guard let error = XKSError.parse(body: answer.body) else {
            return .failure(.invalidResponse("HTTP \(answer.status) without an XKS error body"))
        }
        return .failure(.proxyError(status: answer.status, errorName: error.name.rawValue))
    }

    private static func makeContext(trustRootsPEM: [String]) -> Result<NIOSSLContext, XKSCallFailure> {
        do {
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.minimumTLSVersion = .tlsv12
            configuration.certificateVerification = .fullVerification
            configuration.trustRoots = .certificates(try trustRootsPEM.flatMap {
                try NIOSSLCertificate.fromPEMBytes(Array($0.utf8))
            })
            return .success(try NIOSSLContext(configuration: configuration))
        } catch {
            return .failure(.tls("the trusted CA certificates cannot be read: \(error)"))
        }
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
