import Foundation
import KeyStoreEngine

/// Encrypt, Decrypt, GenerateDataKey (with or without plaintext) and GenerateRandom on the JSON 1.1 protocol
/// (blobs in base64).
extension KMSClient {
    public func encrypt(_ request: EncryptRequest) async throws(KMSError) -> EncryptResult {
        var body: [(String, JSONValue)] = [("KeyId", .string(request.keyId)), ("Plaintext", .string(request.plaintext.base64EncodedString()))]
        body += Self.contextAndDryRun(request.encryptionContext, request.dryRun)
        let answer = try await json.call("Encrypt", .object(body))
        return EncryptResult(keyArn: try Self.string("KeyId", of: answer, from: "Encrypt"),
                             ciphertextBlob: try Self.blob("CiphertextBlob", of: answer, from: "Encrypt"))
    }

    public func decrypt(_ request: DecryptRequest) async throws(KMSError) -> DecryptResult {
        var body: [(String, JSONValue)] = [("CiphertextBlob", .string(request.ciphertextBlob.base64EncodedString()))]
        if let keyId = request.keyId { body.append(("KeyId", .string(keyId))) }
        body += Self.contextAndDryRun(request.encryptionContext, request.dryRun)
        let answer = try await json.call("Decrypt", .object(body))
        return DecryptResult(keyArn: try Self.string("KeyId", of: answer, from: "Decrypt"),
                             plaintext: try Self.blob("Plaintext", of: answer, from: "Decrypt"))
    }

    public func generateDataKey(_ request: GenerateDataKeyRequest) async throws(KMSError) -> GeneratedDataKey {
        var body: [(String, JSONValue)] = [("KeyId", .string(request.keyId)), ("NumberOfBytes", .integer(request.numberOfBytes))]
        body += Self.contextAndDryRun(request.encryptionContext, request.dryRun)
        let operation = request.operation
        let answer = try await json.call(operation, .object(body))
        return GeneratedDataKey(keyArn: try Self.string("KeyId", of: answer, from: operation),
                                plaintext: request.withoutPlaintext ? Data() : try Self.blob("Plaintext", of: answer, from: operation),
                                ciphertextBlob: try Self.blob("CiphertextBlob", of: answer, from: operation))
    }

    public func generateRandom(numberOfBytes: Int, customKeyStoreId: String?) async throws(KMSError) -> Data {
        var body: [(String, JSONValue)] = [("NumberOfBytes", .integer(numberOfBytes))]
        if let customKeyStoreId { body.append(("CustomKeyStoreId", .string(customKeyStoreId))) }
        let answer = try await json.call("GenerateRandom", .object(body))
        return try Self.blob("Plaintext", of: answer, from: "GenerateRandom")
    }

    private static func contextAndDryRun(_ context: [String: String], _ dryRun: Bool) -> [(String, JSONValue)] {
        var members: [(String, JSONValue)] = []
        if !context.isEmpty {
            members.append(("EncryptionContext", .object(context.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })))
        }
        if dryRun { members.append(("DryRun", .bool(true))) }
        return members
    }

    private static func string(_ member: String, of answer: JSONValue, from operation: String) throws(KMSError) -> String {
        guard let value = answer[member]?.stringValue else {
            throw KMSError(.serialization, "\(operation) answered without \(member).")
        }
        return value
    }

    private static func blob(_ member: String, of answer: JSONValue, from operation: String) throws(KMSError) -> Data {
        guard let data = Data(base64Encoded: try string(member, of: answer, from: operation)) else {
            throw KMSError(.serialization, "\(operation) answered a \(member) that is not base64.")
        }
        return data
    }
}
