import Foundation
import KeyStoreEngine

/// Encrypt, Decrypt, GenerateDataKey and GenerateRandom, with real AES-256-GCM under each key's material.
/// Every use of a key goes through the simulator's `useKey`, which checks its state as KMS does and records
/// the use that the console shows as "last used".
struct CryptoOperations: Sendable {
    let context: OperationContext

    static let algorithms = ["SYMMETRIC_DEFAULT", "RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256", "SM2PKE"]

    func encrypt(_ fields: inout RequestFields) async throws(ServiceError) -> JSONValue {
        let keyId = try KeyOperations.keyId(&fields)
        let plaintext = try fields.blob("Plaintext", required: true, length: 1...4096)
        let encryptionContext = try fields.stringMap("EncryptionContext") ?? [:]
        _ = try fields.stringList("GrantTokens", maxCount: 10)
        let algorithm = try fields.enumeration("EncryptionAlgorithm", allowed: Self.algorithms)
        let dryRun = try fields.boolean("DryRun") ?? false
        try fields.validate()
        guard let keyId, let plaintext else { throw .validation("KeyId and Plaintext are required.") }
        try Self.requireSymmetric(algorithm, keyId: keyId)
        if dryRun { try await dryRunCheck(keyId) }

        let (key, material) = try await use(keyId, operation: "Encrypt")
        let blob = try await context.call { () async throws(KMSError) in
            try CiphertextBlob.seal(plaintext, keyId: key.id, material: material, context: encryptionContext)
        }
        return .object([
            ("CiphertextBlob", .string(blob.base64EncodedString())),
            ("KeyId", .string(key.arn)),
            ("EncryptionAlgorithm", .string("SYMMETRIC_DEFAULT")),
        ])
    }

    func decrypt(_ fields: inout RequestFields) async throws(ServiceError) -> JSONValue {
        let blob = try fields.blob("CiphertextBlob", required: true, length: 1...6144)
        let encryptionContext = try fields.stringMap("EncryptionContext") ?? [:]
        _ = try fields.stringList("GrantTokens", maxCount: 10)
        let requestedKey = try fields.string("KeyId", length: 1...2048)
        let algorithm = try fields.enumeration("EncryptionAlgorithm", allowed: Self.algorithms)
        let recipient = try fields.structure("Recipient")
        let dryRun = try fields.boolean("DryRun") ?? false
        _ = try fields.stringList("DryRunModifiers", maxCount: 10)
        try fields.validate()
        guard let blob else { throw .validation("CiphertextBlob is required.") }
        if recipient != nil { throw Self.recipientUnsupported }
        try Self.requireSymmetric(algorithm, keyId: requestedKey ?? "the key")

        let blobKeyId = try await context.call { () async throws(KMSError) in try CiphertextBlob.keyId(of: blob) }
        if let requestedKey {
            let requested = try await context.call { () async throws(KMSError) in try await context.service.describeKey(requestedKey) }
            guard requested.id == blobKeyId else {
                throw ServiceError(type: KMSError.Code.incorrectKey.rawValue,
                                   message: "The ciphertext was encrypted under a different KMS key than \(requestedKey). Leave KeyId out, or give the key that encrypted it.")
            }
        }
        if dryRun { try await dryRunCheck(blobKeyId) }

        let (key, material) = try await use(blobKeyId, operation: "Decrypt")
        let plaintext = try await context.call { () async throws(KMSError) in
            try CiphertextBlob.open(blob, material: material, context: encryptionContext)
        }
        return .object([
            ("KeyId", .string(key.arn)),
            ("Plaintext", .string(plaintext.base64EncodedString())),
            ("EncryptionAlgorithm", .string("SYMMETRIC_DEFAULT")),
        ])
    }

    func generateDataKey(_ fields: inout RequestFields) async throws(ServiceError) -> JSONValue {
        let keyId = try KeyOperations.keyId(&fields)
        let encryptionContext = try fields.stringMap("EncryptionContext") ?? [:]
        let numberOfBytes = try fields.integer("NumberOfBytes", range: 1...1024)
        let keySpec = try fields.enumeration("KeySpec", allowed: ["AES_256", "AES_128"])
        _ = try fields.stringList("GrantTokens", maxCount: 10)
        let recipient = try fields.structure("Recipient")
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
        if recipient != nil { throw Self.recipientUnsupported }
        if dryRun { try await dryRunCheck(keyId) }

        let (key, material) = try await use(keyId, operation: "GenerateDataKey")
        let dataKey = Data.random(count: size)
        let blob = try await context.call { () async throws(KMSError) in
            try CiphertextBlob.seal(dataKey, keyId: key.id, material: material, context: encryptionContext)
        }
        return .object([
            ("CiphertextBlob", .string(blob.base64EncodedString())),
            ("Plaintext", .string(dataKey.base64EncodedString())),
            ("KeyId", .string(key.arn)),
        ])
    }

    func generateRandom(_ fields: inout RequestFields) async throws(ServiceError) -> JSONValue {
        let count = try fields.integer("NumberOfBytes", range: 1...1024)
        let storeId = try fields.string("CustomKeyStoreId", length: 1...64)
        let recipient = try fields.structure("Recipient")
        if count == nil {
            fields.addProblem("Value null at 'numberOfBytes' failed to satisfy constraint: Member must not be null")
        }
        try fields.validate()
        if recipient != nil { throw Self.recipientUnsupported }
        if let storeId {
            let page = try await context.call { () async throws(KMSError) in
                try await context.service.describeKeyStores(DescribeKeyStoresRequest(customKeyStoreId: storeId))
            }
            if let store = page.keyStores.first, store.connectionState != .connected {
                throw ServiceError(KMSError(
                    .customKeyStoreInvalidState,
                    "Custom key store \(store.id) is \(store.connectionState.rawValue). GenerateRandom with a CustomKeyStoreId needs a CONNECTED store: connect it first."))
            }
        }
        return .object([("Plaintext", .string(Data.random(count: count ?? 0).base64EncodedString()))])
    }

    // MARK: Support

    private func use(_ keyId: String, operation: String) async throws(ServiceError) -> (key: KMSKey, material: Data) {
        let service = context.service
        return try await context.call { () async throws(KMSError) in try await service.useKey(keyId, operation: operation) }
    }

    /// DryRun: the errors the call would give, else DryRunOperationException (nothing is used or recorded).
    private func dryRunCheck(_ keyId: String) async throws(ServiceError) {
        let key = try await context.call { () async throws(KMSError) in try await context.service.describeKey(keyId) }
        switch key.keyState {
        case .enabled:
            throw ServiceError(type: KMSError.Code.dryRunOperation.rawValue,
                               message: "The request would have succeeded, but the DryRun parameter was set.")
        case .disabled: throw ServiceError(KMSError(.disabled, "\(key.arn) is disabled."))
        case .pendingDeletion: throw ServiceError(KMSError(.kmsInvalidState, "\(key.arn) is pending deletion."))
        default: throw ServiceError(KMSError(.kmsInvalidState, "\(key.arn) is unavailable."))
        }
    }

    private static func requireSymmetric(_ algorithm: String?, keyId: String) throws(ServiceError) {
        guard let algorithm, algorithm != "SYMMETRIC_DEFAULT" else { return }
        throw ServiceError(type: KMSError.Code.invalidKeyUsage.rawValue,
                           message: "\(keyId) is a symmetric encryption key: its only encryption algorithm is SYMMETRIC_DEFAULT, not \(algorithm).")
    }

    private static let recipientUnsupported = ServiceError.unsupported(
        "cks serve does not simulate Nitro Enclaves attestation: leave Recipient out.")
}
