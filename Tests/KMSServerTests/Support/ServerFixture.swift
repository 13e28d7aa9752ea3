import Foundation
import KMSServer
import KeyStoreEngine
import SigV4
import Simulator
import Testing

/// The IDs of the seeded demo world (assets/demo-world.json) that the tests use.
enum Demo {
    /// CONNECTED, cluster-2payments7a, 5 keys.
    static let payments = "cks-1a2b3c4d5e6f70819"
    /// DISCONNECTED and healthy, cluster-4ledgerarch, 4 keys.
    static let ledger = "cks-3c4d5e6f708192a3b"
    /// FAILED / INVALID_CREDENTIALS.
    static let tokenization = "cks-5e6f708192a3b4c5d"
    static let storeCount = 10
    static let clusterCount = 9

    /// ACTIVE, no store, kmsuser password SpareCluster1.
    static let spareCluster = "cluster-3sparecapac"
    static let sparePassword = "SpareCluster1"
    static let paymentsCluster = "cluster-2payments7a"
    static let uninitializedCluster = "cluster-4newcluster"
    static let account = "111122223333"
    static let region = "us-east-1"
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// What the handler answered, parsed.
struct Answer: CustomStringConvertible {
    var response: ServerResponse
    var json: JSONValue

    var status: Int { response.status }
    /// The `__type` of an error answer.
    var type: String? { json["__type"]?.stringValue }
    var message: String? { json["message"]?.stringValue }
    subscript(_ key: String) -> JSONValue? { json[key] }

    var description: String { "HTTP \(status) \(String(decoding: response.body, as: UTF8.self))" }
}

/// A `KMSRequestHandler` in front of some backend, with a manual clock and a SigV4 signer for requests.
protocol EndpointFixture: Sendable {
    var handler: KMSRequestHandler { get }
    var clock: ManualClock { get }
}

extension EndpointFixture {
    static var credentials: AWSCredentials {
        AWSCredentials(accessKeyId: "AKIDEXAMPLECKSTESTS1", secretAccessKey: "cks/tests/Secret+Key/0123456789abcdefghij")
    }

    static func authentication(_ verified: Bool) -> ServerAuthentication {
        verified ? .sigV4(accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey) : .disabled
    }

    /// A request as botocore sends it, signed for `signingName` with `credentials` at the fixture's time.
    func request(
        target: String?, body: String, signingName: String = "kms", credentials: AWSCredentials? = ServerFixture.credentials,
        extraHeaders: [(name: String, value: String)] = [], signedAt: Date? = nil
    ) -> ServerRequest {
        var headers: [(name: String, value: String)] = [
            ("Host", "127.0.0.1:4599"),
            ("Content-Type", "application/x-amz-json-1.1"),
        ]
        if let target { headers.append(("X-Amz-Target", target)) }
        headers += extraHeaders
        var signed = SigV4Request(method: "POST", path: "/", headers: headers, body: Array(body.utf8))
        if let credentials {
            signed = SigV4Signer(credentials: credentials, region: Demo.region, service: signingName)
                .sign(signed, date: signedAt ?? clock.now())
        }
        return ServerRequest(method: signed.method, uri: "/", headers: signed.headers, body: signed.body)
    }

    func send(_ request: ServerRequest) async throws -> Answer {
        let response = await handler.handle(request, now: clock.now())
        let json = try JSONValue.parse(Data(response.body))
        return Answer(response: response, json: json)
    }

    /// Calls a KMS operation with a JSON body.
    func kms(_ operation: String, _ body: JSONValue = .object([])) async throws -> Answer {
        try await send(request(target: "TrentService.\(operation)", body: body.compact))
    }

    /// Calls a KMS operation that must succeed, and returns its JSON.
    @discardableResult
    func ok(_ operation: String, _ body: JSONValue = .object([]), sourceLocation: SourceLocation = #_sourceLocation) async throws -> JSONValue {
        let answer = try await kms(operation, body)
        try #require(answer.status == 200, "\(operation): \(answer)", sourceLocation: sourceLocation)
        return answer.json
    }

    /// Calls a KMS operation that must fail with `type`, and returns the answer.
    @discardableResult
    func fails(
        _ operation: String, _ body: JSONValue = .object([]), with type: String, status: Int = 400,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> Answer {
        let answer = try await kms(operation, body)
        #expect(answer.type == type, "\(operation): \(answer)", sourceLocation: sourceLocation)
        #expect(answer.status == status, "\(operation): \(answer)", sourceLocation: sourceLocation)
        return answer
    }
}

/// A simulated world in its own temporary folder on a manual clock, with `KMSRequestHandler` in front of
/// it and a SigV4 signer for requests. Workflows run at the `instant` pace and finish at the next read.
final class ServerFixture: EndpointFixture {
    let home: URL
    let clock: ManualClock
    let service: SimulatorService
    let handler: KMSRequestHandler

    init(authentication: Bool = true, seed: DemoWorld? = nil) throws {
        home = FileManager.default.temporaryDirectory.appending(path: "cks-servertests-\(UUID().uuidString)")
        clock = ManualClock()
        service = try SimulatorService.open(home: home, clock: clock, pace: .instant, drive: false, seed: seed)
        handler = KMSRequestHandler(service: service, authentication: Self.authentication(authentication))
    }

    func remove() {
        service.close()
        try? FileManager.default.removeItem(at: home)
    }
}

extension ServerFixture {
    // MARK: World helpers

    func trustAnchor(ofCluster id: String) async throws -> String {
        guard let pem = try await service.clusters().first(where: { $0.id == id })?.trustAnchorCertificate else {
            throw TestFailure("cluster \(id) has no trust anchor")
        }
        return pem
    }

    /// Creates a store on the spare cluster through the endpoint.
    func createSpareStore(name: String = "spare-store") async throws -> String {
        let answer = try await ok("CreateCustomKeyStore", .object([
            ("CustomKeyStoreName", .string(name)),
            ("CloudHsmClusterId", .string(Demo.spareCluster)),
            ("TrustAnchorCertificate", .string(try await trustAnchor(ofCluster: Demo.spareCluster))),
            ("KeyStorePassword", .string(Demo.sparePassword)),
        ]))
        guard let id = answer["CustomKeyStoreId"]?.stringValue else { throw TestFailure("no CustomKeyStoreId in \(answer)") }
        return id
    }

    func connectionState(_ id: String) async throws -> String? {
        let answer = try await ok("DescribeCustomKeyStores", .object([("CustomKeyStoreId", .string(id))]))
        return answer["CustomKeyStores"]?.arrayValue?.first?["ConnectionState"]?.stringValue
    }

    /// Creates a key in a CONNECTED store and returns its ID.
    func createStoreKey(in storeId: String = Demo.payments, description: String = "test key") async throws -> String {
        let answer = try await ok("CreateKey", .object([
            ("CustomKeyStoreId", .string(storeId)), ("Origin", .string("AWS_CLOUDHSM")), ("Description", .string(description)),
        ]))
        guard let id = answer["KeyMetadata"]?["KeyId"]?.stringValue else { throw TestFailure("no KeyId in \(answer)") }
        return id
    }

    /// A key of the demo world in `storeId`.
    func demoKey(in storeId: String) async throws -> KMSKey {
        guard let key = try await service.keys(inKeyStore: storeId).first(where: { $0.keyState != .pendingDeletion }) else {
            throw TestFailure("no key in \(storeId)")
        }
        return key
    }
}

/// Runs `body` with a fresh fixture, removing it afterwards.
func withServer<T>(
    authentication: Bool = true, seed: DemoWorld? = nil, _ body: (ServerFixture) async throws -> T
) async throws -> T {
    let fixture = try ServerFixture(authentication: authentication, seed: seed)
    defer { fixture.remove() }
    return try await body(fixture)
}

extension JSONValue {
    static func fields(_ pairs: KeyValuePairs<String, JSONValue>) -> JSONValue {
        .object(pairs.map { ($0.key, $0.value) })
    }
}

extension String {
    var json: JSONValue { .string(self) }
}

/// `EndpointDouble` behind `KMSRequestHandler`: no world, for tests of the endpoint itself.
final class DoubleFixture: EndpointFixture {
    let clock = ManualClock()
    let double = EndpointDouble()
    let handler: KMSRequestHandler

    init(authentication: Bool = true) {
        handler = KMSRequestHandler(service: double, authentication: Self.authentication(authentication))
    }
}

/// Runs `body` with the handler in front of a fresh `EndpointDouble`.
func withDouble<T>(authentication: Bool = true, _ body: (DoubleFixture) async throws -> T) async throws -> T {
    try await body(DoubleFixture(authentication: authentication))
}
