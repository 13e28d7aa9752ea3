import Foundation
import KeyStoreEngine

/// Encrypt, Decrypt, GenerateDataKey(WithoutPlaintext) and GenerateRandom: the members read and checked here, the
/// cryptography (and the check of the key's state) done by the backend.
struct CryptoOperations<Service: KMSEndpointService>: Sendable {
    let context: OperationContext<Service>

    func encrypt(_ fields: inout RequestFields) async throws(ServiceError) -> JSONValue {
        let keyId = try KeyMembers.keyId(&fields)
        let plaintext = try fields.blob("Plaintext", required: true, length: 1...4096)
        let encryptionContext = try fields.stringMap("EncryptionContext") ?? [:]
        _ = try fields.stringList("GrantTokens", maxCount: 10)
        let algorithm = try fields.enumeration("EncryptionAlgorithm", allowed: KeyMembers.encryptionAlgorithms)
        let dryRun = try fields.boolean("DryRun") ?? false
        try fields.validate()
        guard let keyId, let plaintext else { throw .validation("KeyId and Plaintext are required.") }
        try Self.requireSymmetric(algorithm, keyId: keyId)

        let request = EncryptRequest(keyId: keyId, plaintext: plaintext, encryptionContext: encryptionContext, dryRun: dryRun)
        let result = try await context.call { () async throws(KMSError) in try await context.service.encrypt(request) }
        return .object([
            ("CiphertextBlob", .string(result.ciphertextBlob.base64EncodedString())),
            ("KeyId", .string(result.keyArn)),
            ("EncryptionAlgorithm", .string("SYMMETRIC_DEFAULT")),
        ])
    }

    func decrypt(_ fields: inout RequestFields) async throws(ServiceError) -> JSONValue {
        let blob = try fields.blob("CiphertextBlob", required: true, length: 1...6144)
        let encryptionContext = try fields.stringMap("EncryptionContext") ?? [:]
        _ = try fields.stringList("GrantTokens", maxCount: 10)
        let requestedKey = try fields.string("KeyId", length: 1...2048)
        let algorithm = try fields.enumeration("EncryptionAlgorithm", allowed: KeyMembers.encryptionAlgorithms)
        let recipient = try fields.structure("Recipient")
        let dryRun = try fields.boolean("DryRun") ?? false
        _ = try fields.stringList("DryRunModifiers", maxCount: 10)
        try fields.validate()
        guard let blob else { throw .validation("CiphertextBlob is required.") }
        if recipient != nil { throw .recipientUnsupported }
        try Self.requireSymmetric(algorithm, keyId: requestedKey ?? "the key")

        let request = DecryptRequest(ciphertextBlob: blob, encryptionContext: encryptionContext, keyId: requestedKey, dryRun: dryRun)
        let result = try await context.call { () async throws(KMSError) in try await context.service.decrypt(request) }
        return .object([
            ("KeyId", .string(result.keyArn)),
            ("Plaintext", .string(result.plaintext.base64EncodedString())),
            ("EncryptionAlgorithm", .string("SYMMETRIC_DEFAULT")),
        ])
    }

    /// GenerateDataKey, or GenerateDataKeyWithoutPlaintext (the same request; the answer has no Plaintext).
    func generateDataKey(_ fields: inout RequestFields, withoutPlaintext: Bool = false) async throws(ServiceError) -> JSONValue {
        let keyId = try KeyMembers.keyId(&fields)
        let encryptionContext = try fields.stringMap("EncryptionContext") ?? [:]
        let numberOfBytes = try fields.integer("NumberOfBytes", range: 1...1024)
        let keySpec = try fields.enumeration("KeySpec", allowed: ["AES_256", "AES_128"])
        _ = try fields.stringList("GrantTokens", maxCount: 10)
        let recipient = withoutPlaintext ? nil : try fields.structure("Recipient")
        let dryRun = try fields.boolean("DryRun") ?? false
        try fields.validate()
        guard let keyId else { throw .validation("KeyId is required.") }
        let size: Int
        switch (numberOfBytes, keySpec) {
        case let (count?, nil): size = count
        case (nil, "AES_128"?): size = 16
        case (nil, "AES_256"?): size = 32
        default: throw .validation("Please specify either number of bytes or key spec: NumberOfBytes (1 to 1024) or KeySpec (AES_256 or AES_128), not both.")
        }
        if recipient != nil { throw .recipientUnsupported }

        let request = GenerateDataKeyRequest(keyId: keyId, numberOfBytes: size, encryptionContext: encryptionContext, dryRun: dryRun,
                                             withoutPlaintext: withoutPlaintext)
        let dataKey = try await context.call { () async throws(KMSError) in try await context.service.generateDataKey(request) }
        return .object([("CiphertextBlob", .string(dataKey.ciphertextBlob.base64EncodedString()))]
            + (withoutPlaintext ? [] : [("Plaintext", .string(dataKey.plaintext.base64EncodedString()))])
            + [("KeyId", .string(dataKey.keyArn))])
    }

    func generateRandom(_ fields: inout RequestFields) async throws(ServiceError) -> JSONValue {
        let count = try fields.integer("NumberOfBytes", range: 1...1024)
        let storeId = try fields.string("CustomKeyStoreId", length: 1...64)
        let recipient = try fields.structure("Recipient")
        if count == nil {
            fields.addProblem("Value null at 'numberOfBytes' failed to satisfy constraint: Member must not be null")
        }
        try fields.validate()
        if recipient != nil { throw .recipientUnsupported }
        let bytes = try await context.call { () async throws(KMSError) in
            try await context.service.generateRandom(numberOfBytes: count ?? 0, customKeyStoreId: storeId)
        }
        return .object([("Plaintext", .string(bytes.base64EncodedString()))])
    }

    private static func requireSymmetric(_ algorithm: String?, keyId: String) throws(ServiceError) {
        guard let algorithm, algorithm != "SYMMETRIC_DEFAULT" else { return }
        throw ServiceError(type: KMSError.Code.invalidKeyUsage.rawValue,
                           message: "\(keyId) is a symmetric encryption key: its only encryption algorithm is SYMMETRIC_DEFAULT, not \(algorithm).")
    }
}
