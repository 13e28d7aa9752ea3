import AsyncHTTPClient
import Foundation
import LocalCA
import NIOCore
import NIOSSL
import SigV4
import XKS
import XKSProxy

/// A proxy home for tests: one logical key store with the test client's prefix and keys (`foo` for both
/// usages, `encrypt-only`, `decrypt-only`, `impotent` with none), a second store, and the cks CA.
struct ProxyFixture {
    static let prefix = "/example/uri/path/prefix"
    static let uriPath = prefix + "/kms/xks/v1"
    static let region = "us-east-1"

    let home: URL
    let credential: ProxyCredential
    let otherCredential: ProxyCredential
    let database: ProxyDatabase

    init() throws {
        home = FileManager.default.temporaryDirectory.appending(path: "cks-xks-\(UUID().uuidString)")
        database = try ProxyDatabase.open(home: home, create: true)
        credential = ProxyCredential(accessKeyId: CredentialRules.generateAccessKeyId(),
                                     secretAccessKey: CredentialRules.generateSecret(), createdAt: Date())
        otherCredential = ProxyCredential(accessKeyId: CredentialRules.generateAccessKeyId(),
                                          secretAccessKey: CredentialRules.generateSecret(), createdAt: Date())
        try database.addKeyStore(prefix: Self.prefix, credential: credential)
        try database.addKeyStore(prefix: "/other", credential: otherCredential)
        let now = Date()
        try database.createKey(prefix: Self.prefix, id: "foo", usages: [.encrypt, .decrypt], now: now)
        try database.createKey(prefix: Self.prefix, id: "encrypt-only", usages: [.encrypt], now: now)
        try database.createKey(prefix: Self.prefix, id: "decrypt-only", usages: [.decrypt], now: now)
        try database.createKey(prefix: Self.prefix, id: "impotent", usages: [], now: now)
    }

    var ca: LocalCA { get throws { try LocalCA.loadOrCreate(home: home) } }

    var caPath: String { LocalCA.certificateURL(home: home).path }

    func start(tls: Bool = true, mutualTLS: Bool = false) async throws -> RunningXKSProxy {
        let options = tls ? ProxyTLSOptions(ca: try ca, hostNames: ProxyTLSOptions.loopbackNames, mutualTLS: mutualTLS) : nil
        return try await RunningXKSProxy.start(home: home, host: "127.0.0.1", port: 0, tls: options, threads: 1)
    }

    func remove() {
        database.close()
        try? FileManager.default.removeItem(at: home)
    }

    var engine: XKSProxyEngine { get throws { XKSProxyEngine(snapshot: try database.snapshot()) } }
}

/// Request bodies as KMS sends them.
enum XKSBodies {
    static let principal = "arn:aws:iam::123456789012:user/Alice"
    static let keyArn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"

    static func metadata(_ operation: String, key: Bool = true) -> [String: Any] {
        var metadata: [String: Any] = ["kmsRequestId": UUID().uuidString.lowercased(), "kmsOperation": operation]
        if key {
            metadata["awsPrincipalArn"] = principal
            metadata["kmsKeyArn"] = keyArn
        }
        return metadata
    }

    static func health() -> [String: Any] { ["requestMetadata": metadata("KmsHealthCheck", key: false)] }

    static func encrypt(_ plaintext: [UInt8]?, aad: [UInt8]? = nil, integrity: Bool = false) -> [String: Any] {
        var body: [String: Any] = ["requestMetadata": metadata("Encrypt"), "encryptionAlgorithm": "AES_GCM"]
        if let plaintext { body["plaintext"] = XKSBase64.encode(plaintext) }
        if let aad { body["additionalAuthenticatedData"] = XKSBase64.encode(aad) }
        if integrity { body["ciphertextDataIntegrityValueAlgorithm"] = "SHA_256" }
        return body
    }

    static func decrypt(_ answer: [String: Any], aad: [UInt8]?) -> [String: Any] {
        var body: [String: Any] = ["requestMetadata": metadata("Decrypt"), "encryptionAlgorithm": "AES_GCM"]
        for field in ["ciphertext", "ciphertextMetadata", "initializationVector", "authenticationTag"] {
            body[field] = answer[field]
        }
        if let aad { body["additionalAuthenticatedData"] = XKSBase64.encode(aad) }
        return body
    }

    static func data(_ object: [String: Any]) -> [UInt8] {
        Array(try! JSONSerialization.data(withJSONObject: object))
    }
}

/// An answer as a test reads it.
struct XKSAnswer {
    var status: Int
    var body: [UInt8]

    var json: [String: Any] { ((try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]) ?? [:] }
    var errorName: String? { json["errorName"] as? String }
    func bytes(_ field: String) -> [UInt8] { (json[field] as? String).flatMap { Data(base64Encoded: $0) }.map(Array.init) ?? [] }
}

/// Signs with the project's SigV4 signer as KMS does (`host;x-amz-date`; Content-Type added after signing).
struct KMSStyleSigner {
    var credential: ProxyCredential
    var region = ProxyFixture.region

    func sign(path: String, host: String, body: [UInt8], date: Date = Date()) -> SigV4Request {
        let signer = SigV4Signer(
            credentials: AWSCredentials(accessKeyId: credential.accessKeyId, secretAccessKey: credential.secretAccessKey),
            region: region, service: XKSProxyEngine.signingService)
        var request = signer.sign(SigV4Request(method: "POST", path: path, headers: [("Host", host)], body: body), date: date)
        request.headers.append((name: "Content-Type", value: "application/json"))
        return request
    }
}

/// A keep-alive HTTPS client trusting the cks CA, for the signer-driven tests.
final class XKSTestClient: Sendable {
    let client: HTTPClient
    let port: Int
    let scheme: String

    init(port: Int, caPEM: String?, clientCertificate: IssuedCertificate? = nil) throws {
        var configuration = HTTPClient.Configuration()
        if let caPEM {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.trustRoots = .certificates([try NIOSSLCertificate(bytes: Array(caPEM.utf8), format: .pem)])
            if let clientCertificate {
                tls.certificateChain = [.certificate(try NIOSSLCertificate(bytes: Array(clientCertificate.certificatePEM.utf8), format: .pem))]
                tls.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(clientCertificate.privateKeyPEM.utf8), format: .pem))
            }
            configuration.tlsConfiguration = tls
        }
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.port = port
        scheme = caPEM == nil ? "http" : "https"
    }

    var host: String { "localhost:\(port)" }

    func send(_ signed: SigV4Request, method: String = "POST") async throws -> XKSAnswer {
        var request = HTTPClientRequest(url: "\(scheme)://localhost:\(port)\(signed.path)")
        request.method = .RAW(value: method)
        for header in signed.headers { request.headers.add(name: header.name, value: header.value) }
        request.body = .bytes(ByteBuffer(bytes: signed.body))
        let response = try await client.execute(request, timeout: .seconds(60))
        let body = try await response.body.collect(upTo: 1 << 20)
        return XKSAnswer(status: Int(response.status.code), body: Array(body.readableBytesView))
    }

    func post(_ path: String, _ object: [String: Any], signer: KMSStyleSigner, date: Date = Date()) async throws -> XKSAnswer {
        try await send(signer.sign(path: path, host: host, body: XKSBodies.data(object), date: date))
    }

    func shutdown() async {
        try? await client.shutdown()
    }
}
