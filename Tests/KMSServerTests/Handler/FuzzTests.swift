import CKSTestSupport
import Foundation
import KMSServer
import KeyStoreEngine
import SigV4
import Testing

/// Thousands of malformed requests through the handler: every answer must be JSON, with a known `__type`
/// and a 4xx/5xx status when it is a refusal. Nothing may crash.
@Suite("Fuzz: malformed requests never crash the endpoint")
struct FuzzTests {
    static let knownTypes: Set<String> = [
        "SerializationException", "ValidationException", "UnknownOperationException", "RequestEntityTooLargeException",
        "MissingAuthenticationTokenException", "IncompleteSignatureException", "InvalidSignatureException",
        "UnrecognizedClientException", "UnsupportedOperationException", "NotFoundException", "InvalidMarkerException",
        "InvalidCiphertextException", "IncorrectKeyException", "DisabledException", "KMSInvalidStateException",
        "InvalidKeyUsageException", "DryRunOperationException", "KMSInternalException", "DependencyTimeoutException",
        "CustomKeyStoreNotFoundException", "CustomKeyStoreInvalidStateException", "CustomKeyStoreNameInUseException",
        "CustomKeyStoreHasCMKsException", "CloudHsmClusterNotFoundException", "CloudHsmClusterInUseException",
        "CloudHsmClusterNotActiveException", "CloudHsmClusterInvalidConfigurationException",
        "CloudHsmClusterNotRelatedException", "IncorrectTrustAnchorException", "LimitExceededException",
        "CloudHsmInvalidRequestException",
    ]

    static let operations = [
        "CreateCustomKeyStore", "ConnectCustomKeyStore", "DisconnectCustomKeyStore", "DescribeCustomKeyStores",
        "UpdateCustomKeyStore", "DeleteCustomKeyStore", "CreateKey", "DescribeKey", "ListKeys", "EnableKey", "DisableKey",
        "ScheduleKeyDeletion", "CancelKeyDeletion", "Encrypt", "Decrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext",
        "GenerateRandom",
    ]

    static let members = [
        "CustomKeyStoreId", "CustomKeyStoreName", "CloudHsmClusterId", "TrustAnchorCertificate", "KeyStorePassword",
        "CustomKeyStoreType", "NewCustomKeyStoreName", "Limit", "Marker", "KeyId", "Plaintext", "CiphertextBlob",
        "EncryptionContext", "GrantTokens", "EncryptionAlgorithm", "NumberOfBytes", "KeySpec", "KeyUsage", "Origin",
        "Description", "PendingWindowInDays", "DryRun", "MultiRegion", "Tags", "XksProxyUriPath", "Recipient", "Filters",
        "MaxResults", "NextToken",
    ]

    @Test("5,000 seeded malformed requests: JSON answers with known types, never a crash")
    func malformedRequests() async throws {
        try await withServer { server async throws in
            var random = SeededGenerator(seed: 0xC0FF_EE00_2026)
            let keyId = try await server.createStoreKey()
            var statuses: [Int: Int] = [:]
            for round in 0..<5000 {
                let request = Self.makeRequest(round: round, server: server, keyId: keyId, random: &random)
                let response = await server.handler.handle(request, now: server.clock.now())
                statuses[response.status, default: 0] += 1
                try Self.check(response, round: round)
            }
            // The mix reaches refusals of every kind, and some requests get through.
            #expect(statuses.keys.contains(400))
            #expect(statuses.keys.contains(413))
            #expect(statuses.keys.contains(200))
        }
    }

    static func check(_ response: ServerResponse, round: Int) throws {
        let text = String(decoding: response.body, as: UTF8.self)
        #expect(response.header("Content-Type") == "application/x-amz-json-1.1", "round \(round)")
        #expect(response.header("x-amzn-RequestId") != nil, "round \(round)")
        let json = try JSONValue.parse(Data(response.body))
        guard response.status != 200 else {
            #expect(json.objectValue != nil, "round \(round): \(text)")
            return
        }
        #expect((400..<600).contains(response.status), "round \(round): \(response.status) \(text)")
        let type = json["__type"]?.stringValue
        #expect(type.map(knownTypes.contains) == true, "round \(round): unknown __type in \(text)")
        #expect(json["message"]?.stringValue != nil, "round \(round): no message in \(text)")
        #expect(!text.contains("Fatal error") && !text.contains("Stack"), "round \(round): \(text)")
    }

    // MARK: Making bad requests

    static func makeRequest(round: Int, server: ServerFixture, keyId: String, random: inout SeededGenerator) -> ServerRequest {
        let operation = operations.randomElement(using: &random)!
        let target = "TrentService.\(operation)"
        switch round % 10 {
        case 0: // random bytes
            let bytes = (0..<Int.random(in: 0...300, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            return signed(server, target: target, body: bytes)
        case 1: // truncated valid JSON
            let body = Array(validBody(keyId: keyId, random: &random).compact.utf8)
            return signed(server, target: target, body: Array(body.prefix(Int.random(in: 0...max(0, body.count - 1), using: &random))))
        case 2: // wrong types for the members
            let fields = (0..<Int.random(in: 1...4, using: &random)).map { _ in
                (members.randomElement(using: &random)!, randomValue(depth: 0, random: &random))
            }
            return signed(server, target: target, body: Array(JSONValue.object(fields).compact.utf8))
        case 3: // huge numbers and lengths
            let huge = ["1e400", "-1e400", "99999999999999999999999999", "-9223372036854775809", "2147483648", "1.5", "-0", "1E2"]
                .randomElement(using: &random)!
            let member = members.randomElement(using: &random)!
            let body = Bool.random(using: &random)
                ? "{\"\(member)\": \(huge)}"
                : "{\"\(member)\": \"\(String(repeating: "A", count: Int.random(in: 1000...70_000, using: &random)))\"}"
            return signed(server, target: target, body: Array(body.utf8))
        case 4: // deep nesting
            let depth = Int.random(in: 10...3000, using: &random)
            let open = Bool.random(using: &random) ? "[" : "{\"a\":"
            let close = open == "[" ? "]" : "}"
            let body = "{\"KeyId\": " + String(repeating: open, count: depth) + "1" + String(repeating: close, count: depth) + "}"
            return signed(server, target: target, body: Array(body.utf8))
        case 5: // bad targets
            let targets = ["", "TrentService.", "TrentService", "trentservice.ListKeys", "TrentService.ListKeys.Extra",
                           "BaldrApiService.Nope", "\u{0}", String(repeating: "T", count: 5000), "TrentService.\u{1F600}"]
            return signed(server, target: targets.randomElement(using: &random)!, body: Array("{}".utf8))
        case 6: // bad signatures
            var request = signed(server, target: target, body: Array(validBody(keyId: keyId, random: &random).compact.utf8))
            mutateAuthorization(&request, random: &random)
            return request
        case 7: // valid shapes with random values
            return signed(server, target: target, body: Array(validBody(keyId: keyId, random: &random).compact.utf8))
        case 8: // oversized body
            if round % 40 == 8 {
                return signed(server, target: target, body: [UInt8](repeating: UInt8(ascii: " "), count: KMSRequestHandler.maxBodyBytes + 1))
            }
            var request = signed(server, target: target, body: Array("{}".utf8))
            request.method = ["GET", "PUT", "DELETE", "", "P O S T"].randomElement(using: &random)!
            return request
        default: // odd headers and paths
            var request = signed(server, target: target, body: Array("{}".utf8))
            switch Int.random(in: 0..<4, using: &random) {
            case 0: request.headers.append(("Authorization", "AWS4-HMAC-SHA256 Credential=x"))
            case 1: request.headers.removeAll { $0.name == "Host" }
            case 2: request.uri = ["//", "/%", "/?%zz", "", "*"].randomElement(using: &random)!
            default: request.headers = request.headers.map { $0.name == "Content-Type" ? ($0.name, "application/xml") : $0 }
            }
            return request
        }
    }

    static func signed(_ server: ServerFixture, target: String, body: [UInt8]) -> ServerRequest {
        var request = server.request(target: target, body: "")
        // Re-sign with the raw bytes (they may not be UTF-8).
        var raw = SigV4Request(method: "POST", path: "/", headers: [("Host", "127.0.0.1:4599"),
                                                                  ("Content-Type", "application/x-amz-json-1.1"),
                                                                  ("X-Amz-Target", target)], body: body)
        raw = SigV4Signer(credentials: ServerFixture.credentials, region: Demo.region, service: "kms").sign(raw, date: server.clock.now())
        request.headers = raw.headers
        request.body = raw.body
        return request
    }

    static func mutateAuthorization(_ request: inout ServerRequest, random: inout SeededGenerator) {
        guard let index = request.headers.firstIndex(where: { $0.name == "Authorization" }) else { return }
        var value = Array(request.headers[index].value.utf8)
        switch Int.random(in: 0..<5, using: &random) {
        case 0: value[Int.random(in: 0..<value.count, using: &random)] = UInt8.random(in: 32...126, using: &random)
        case 1: value = Array(value.prefix(Int.random(in: 0..<value.count, using: &random)))
        case 2: value += Array(", Extra=1".utf8)
        case 3: request.headers.append(("Authorization", "AWS4-HMAC-SHA256 Credential=a/b/c/d/e"))
        default: request.headers.removeAll { $0.name == "X-Amz-Date" }
        }
        if index < request.headers.count, request.headers[index].name == "Authorization" {
            request.headers[index].value = String(decoding: value, as: UTF8.self)
        }
    }

    static func validBody(keyId: String, random: inout SeededGenerator) -> JSONValue {
        let choices: [JSONValue] = [
            .string(keyId), .string("cks-00000000000000000"), .string(Demo.payments), .string(Demo.ledger), .string(""),
            .string("YWJj"), .string("alias/x"), .integer(Int.random(in: -5...2000, using: &random)), .string("AES_256"),
            .string("AWS_CLOUDHSM"), .string(Demo.spareCluster), .object([("a", .string("b"))]), .array([.string("t")]), .bool(true),
        ]
        let fields = (0..<Int.random(in: 0...5, using: &random)).map { _ in
            (members.randomElement(using: &random)!, choices.randomElement(using: &random)!)
        }
        return .object(fields)
    }

    static func randomValue(depth: Int, random: inout SeededGenerator) -> JSONValue {
        switch Int.random(in: 0..<(depth > 3 ? 5 : 7), using: &random) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &random))
        case 2: return .integer(Int.random(in: Int.min...Int.max, using: &random))
        case 3: return .number(Double.random(in: -1e300...1e300, using: &random))
        case 4: return .string(String((0..<Int.random(in: 0...40, using: &random)).map { _ in
            Character(Unicode.Scalar(UInt8.random(in: 0...127, using: &random)))
        }))
        case 5: return .array((0..<Int.random(in: 0...4, using: &random)).map { _ in randomValue(depth: depth + 1, random: &random) })
        default:
            return .object((0..<Int.random(in: 0...4, using: &random)).map { _ in
                (members.randomElement(using: &random)!, randomValue(depth: depth + 1, random: &random))
            })
        }
    }
}
