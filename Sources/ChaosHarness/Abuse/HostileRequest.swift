import CKSTestSupport
import Foundation

/// One kind of malformed or hostile request, how to make it, and which answers are right for it.
public enum HostileKind: String, Sendable, CaseIterable {
    case randomBytes
    case randomJSON
    case wrongTypes
    case hugeBody
    case hugeChunkedBody
    case hugeHeaders
    case deeplyNested
    case invalidUTF8
    case badSignature
    case expiredSignature
    case unknownAccessKey
    case unsigned

    /// The `__type`s a right answer may carry (any KMS JSON error when empty), and its statuses.
    var expected: (types: Set<String>, statuses: Set<Int>) {
        switch self {
        case .randomBytes, .hugeHeaders: (["SerializationException"], [400])
        case .randomJSON: ([], [200, 400])
        case .wrongTypes, .deeplyNested, .invalidUTF8: (["SerializationException", "ValidationException"], [400])
        case .hugeBody, .hugeChunkedBody: (["RequestEntityTooLargeException"], [413])
        case .badSignature, .expiredSignature: (["InvalidSignatureException"], [400])
        case .unknownAccessKey: (["UnrecognizedClientException"], [400])
        case .unsigned: (["MissingAuthenticationTokenException"], [400])
        }
    }

    /// The server may close the connection instead of answering (it refused the bytes before reading them all).
    var mayClose: Bool { self == .randomBytes || self == .hugeBody || self == .hugeChunkedBody || self == .hugeHeaders }

    static let operations = ["Encrypt", "Decrypt", "DescribeKey", "GenerateDataKey", "ListKeys", "DescribeCustomKeyStores",
                             "ConnectCustomKeyStore", "DisconnectCustomKeyStore", "UpdateCustomKeyStore", "ScheduleKeyDeletion",
                             "CreateCustomKeyStore", "GenerateRandom"]

    /// The wire bytes of one request of this kind.
    func bytes(client: KMSClient, using generator: inout SeededGenerator) -> [UInt8] {
        let operation = Self.operations.randomElement(using: &generator)!
        switch self {
        case .randomBytes:
            return (0..<Int.random(in: 1...2_048, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        case .randomJSON:
            let body = RandomJSON.text(depth: 4, using: &generator)
            return client.request(operation, rawBody: Array(body.utf8))
        case .wrongTypes:
            // Each operation with a field it reads given the wrong JSON type.
            let wrong: [Any] = [5, true, ["a", 1], ["KeyId": 3], -1.5e300]
            let calls: [(String, String)] = [("Encrypt", "KeyId"), ("Encrypt", "Plaintext"), ("DescribeKey", "KeyId"), ("ListKeys", "Limit"),
                                             ("ConnectCustomKeyStore", "CustomKeyStoreId"), ("GenerateRandom", "NumberOfBytes"),
                                             ("Decrypt", "CiphertextBlob"), ("DescribeCustomKeyStores", "Limit")]
            let (name, field) = calls.randomElement(using: &generator)!
            let numeric = ["Limit", "NumberOfBytes"].contains(field)
            let value: Any = numeric ? ["ten", true, ["a"], ["n": 1]].randomElement(using: &generator)! : wrong.randomElement(using: &generator)!
            var body: [String: Any] = [field: value]
            if name == "Encrypt" { body[field == "KeyId" ? "Plaintext" : "KeyId"] = field == "KeyId" ? "AA==" : "alias/x" }
            return client.request(name, body)
        case .hugeBody:
            var request = client.request(operation, rawBody: Array(repeating: UInt8(ascii: "a"), count: 65_536))
            // Claims 2 MiB but sends 64 KiB: the server must refuse on the header alone.
            let text = String(decoding: request, as: UTF8.self).replacingOccurrences(of: "Content-Length: 65536", with: "Content-Length: 2097152")
            request = Array(text.utf8)
            return request
        case .hugeChunkedBody:
            var head = "POST / HTTP/1.1\r\nHost: 127.0.0.1:\(client.port)\r\nContent-Type: application/x-amz-json-1.1\r\n"
            head += "X-Amz-Target: TrentService.\(operation)\r\nTransfer-Encoding: chunked\r\n\r\n"
            var bytes = Array(head.utf8)
            let chunk = Array("10000\r\n".utf8) + Array(repeating: UInt8(ascii: "["), count: 65_536) + Array("\r\n".utf8)
            for _ in 0..<18 { bytes += chunk }
            return bytes + Array("0\r\n\r\n".utf8)
        case .hugeHeaders:
            let filler = String(repeating: "x", count: 4_000)
            var head = "POST / HTTP/1.1\r\nHost: 127.0.0.1:\(client.port)\r\n"
            for index in 0..<30 { head += "X-Filler-\(index): \(filler)\r\n" }
            return Array((head + "Content-Length: 2\r\n\r\n{}").utf8)
        case .deeplyNested:
            let depth = Int.random(in: 100...100_000, using: &generator)
            let open = Bool.random(using: &generator) ? "[" : "{\"a\":"
            let close = open == "[" ? "]" : "}"
            let body = "{\"KeyId\":" + String(repeating: open, count: depth) + "1" + String(repeating: close, count: depth) + "}"
            return client.request(operation, rawBody: Array(body.utf8))
        case .invalidUTF8:
            let body = Array("{\"KeyId\":\"".utf8) + [0xFF, 0xFE, 0xC3, 0x28, 0xED, 0xA0, 0x80] + Array("\",\"Plaintext\":\"AA==\"}".utf8)
            return client.request(operation, rawBody: body)
        case .badSignature:
            let request = client.request(operation, [:])
            let text = String(decoding: request, as: UTF8.self)
            guard let range = text.range(of: "Signature=") else { return request }
            let flipped = text[range.upperBound...].first == "0" ? "1" : "0"
            return Array((text[..<range.upperBound] + flipped + text[text.index(after: range.upperBound)...]).utf8)
        case .expiredSignature:
            // A request captured 20 minutes ago and sent again.
            return client.request(operation, [:], date: Date().addingTimeInterval(-1_200))
        case .unknownAccessKey:
            let stranger = KMSClient(port: client.port, credentials: .init(accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
                                     region: client.region)
            return stranger.request(operation, [:])
        case .unsigned:
            let body = "{}"
            let head = "POST / HTTP/1.1\r\nHost: 127.0.0.1:\(client.port)\r\nContent-Type: application/x-amz-json-1.1\r\n"
                + "X-Amz-Target: TrentService.\(operation)\r\nConnection: close\r\nContent-Length: \(body.utf8.count)\r\n\r\n"
            return Array((head + body).utf8)
        }
    }

    /// A problem with the answer, or nil when it is right.
    func judge(_ answer: HTTPAnswer) -> String? {
        let (types, statuses) = expected
        guard statuses.contains(answer.status) else { return "\(rawValue): status \(answer.status) \(Self.excerpt(answer))" }
        if answer.status == 200 { return nil }
        guard answer.headers["content-type"] == "application/x-amz-json-1.1" else {
            return "\(rawValue): Content-Type \(answer.headers["content-type"] ?? "none")"
        }
        guard let type = answer.errorType else { return "\(rawValue): no __type in \(Self.excerpt(answer))" }
        if !types.isEmpty && !types.contains(type) { return "\(rawValue): __type \(type), expected one of \(types.sorted())" }
        return nil
    }

    static func excerpt(_ answer: HTTPAnswer) -> String {
        String(decoding: answer.body.prefix(200), as: UTF8.self)
    }
}

/// Random JSON texts: objects, arrays, strings with escapes, numbers, literals, nested a few levels.
enum RandomJSON {
    static func text(depth: Int, using generator: inout SeededGenerator) -> String {
        let choice = Int.random(in: 0..<(depth > 0 ? 7 : 4), using: &generator)
        switch choice {
        case 0: return ["true", "false", "null"].randomElement(using: &generator)!
        case 1: return String(Double.random(in: -1e20...1e20, using: &generator))
        case 2, 3: return string(using: &generator)
        case 4, 5:
            let fields = (0..<Int.random(in: 0...5, using: &generator)).map { _ in
                (["KeyId", "Plaintext", "CiphertextBlob", "CustomKeyStoreId", "Limit", "x"].randomElement(using: &generator)!,
                 text(depth: depth - 1, using: &generator))
            }
            return "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
        default:
            return "[" + (0..<Int.random(in: 0...5, using: &generator)).map { _ in text(depth: depth - 1, using: &generator) }.joined(separator: ",") + "]"
        }
    }

    static func string(using generator: inout SeededGenerator) -> String {
        let pieces = ["a", "Z", "é", "\\u0000", "\\n", "\\\"", "\\ud800", "😀", "alias/x", "arn:aws:kms:us-east-1:111122223333:key/1", " "]
        return "\"" + (0..<Int.random(in: 0...12, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined() + "\""
    }
}
