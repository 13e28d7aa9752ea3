import Foundation
import KeyStoreEngine
import XKSClient

/// Encrypt, Decrypt, GenerateDataKey (with or without plaintext) and GenerateRandom, with real AES-256-GCM
/// under each key's material. Every use of a key goes through `useKey`, which checks its state as KMS does and
/// records the use that the console shows as "last used".
extension SimulatorService: KMSCryptoService {
    public func encrypt(_ request: EncryptRequest) async throws(KMSError) -> EncryptResult {
        if request.dryRun { try await dryRunCheck(request.keyId) }
        let (key, material) = try await useKey(request.keyId, operation: "Encrypt")
        let blob = key.xksKeyId == nil
            ? try CiphertextBlob.seal(request.plaintext, keyId: key.id, material: material, context: request.encryptionContext)
            : try await xksSeal(request.plaintext, key: key, material: material, context: request.encryptionContext, operation: "Encrypt")
        return EncryptResult(keyArn: key.arn, ciphertextBlob: blob)
    }

    public func decrypt(_ request: DecryptRequest) async throws(KMSError) -> DecryptResult {
        let doubleEncrypted = XKSCiphertextBlob.isDoubleEncrypted(request.ciphertextBlob)
        let blobKeyId = doubleEncrypted
            ? try XKSCiphertextBlob.parse(request.ciphertextBlob).keyId
            : try CiphertextBlob.keyId(of: request.ciphertextBlob)
        if let requestedKey = request.keyId {
            guard try await describeKey(requestedKey).id == blobKeyId else {
                throw KMSError(.incorrectKey,
                               "The ciphertext was encrypted under a different KMS key than \(requestedKey). Leave KeyId out, or give the key that encrypted it.")
            }
        }
        if request.dryRun { try await dryRunCheck(blobKeyId) }
        let (key, material) = try await useKey(blobKeyId, operation: "Decrypt")
        // A blob of the other kind than its key's (an XKS key's blob is always double-encrypted) is not ours.
        guard doubleEncrypted == (key.xksKeyId != nil) else { throw CiphertextBlob.invalid }
        let plaintext = doubleEncrypted
            ? try await xksOpen(request.ciphertextBlob, key: key, material: material, context: request.encryptionContext, operation: "Decrypt")
            : try CiphertextBlob.open(request.ciphertextBlob, material: material, context: request.encryptionContext)
        return DecryptResult(keyArn: key.arn, plaintext: plaintext)
    }

    public func generateDataKey(_ request: GenerateDataKeyRequest) async throws(KMSError) -> GeneratedDataKey {
        if request.dryRun { try await dryRunCheck(request.keyId) }
        let (key, material) = try await useKey(request.keyId, operation: request.operation)
        let dataKey = Data.random(count: request.numberOfBytes)
        let blob = key.xksKeyId == nil
            ? try CiphertextBlob.seal(dataKey, keyId: key.id, material: material, context: request.encryptionContext)
            : try await xksSeal(dataKey, key: key, material: material, context: request.encryptionContext, operation: request.operation)
        return GeneratedDataKey(keyArn: key.arn, plaintext: request.withoutPlaintext ? Data() : dataKey, ciphertextBlob: blob)
    }

    public func generateRandom(numberOfBytes: Int, customKeyStoreId: String?) async throws(KMSError) -> Data {
        if let customKeyStoreId {
            let page = try await describeKeyStores(DescribeKeyStoresRequest(customKeyStoreId: customKeyStoreId))
            if let store = page.keyStores.first, store.type == .externalKeyStore {
                throw KMSError(
                    .unsupportedOperation,
                    "Custom key store \(store.id) is an external key store, and GenerateRandom does not support external key stores. Leave CustomKeyStoreId out, or give the ID of an AWS CloudHSM key store.")
            }
            if let store = page.keyStores.first, store.connectionState != .connected {
                throw KMSError(
                    .customKeyStoreInvalidState,
                    "Custom key store \(store.id) is \(store.connectionState.rawValue). GenerateRandom with a CustomKeyStoreId needs a CONNECTED store: connect it first.")
            }
        }
        return Data.random(count: numberOfBytes)
    }

    /// DryRun: the errors the call would give, else DryRunOperationException (nothing is used or recorded).
    private func dryRunCheck(_ keyId: String) async throws(KMSError) {
        let key = try await describeKey(keyId)
        switch key.keyState {
        case .enabled:
            throw KMSError(.dryRunOperation, "The request would have succeeded, but the DryRun parameter was set.")
        case .disabled: throw KMSError(.disabled, "\(key.arn) is disabled.")
        case .pendingDeletion: throw KMSError(.kmsInvalidState, "\(key.arn) is pending deletion.")
        default: throw KMSError.unavailable(key.arn, external: key.xksKeyId != nil)
        }
    }
}

extension KMSError {
    /// A cryptographic operation on an `Unavailable` key: KMS names the key, or for a key in an external key store
    /// says that its store is not connected to its proxy (the XKS spec's "KMS considerations" table).
    static func unavailable(_ arn: String, external: Bool) -> KMSError {
        external ? KMSError(.kmsInvalidState, XKSMessages.notConnected) : KMSError(.kmsInvalidState, "\(arn) is unavailable.")
    }
}

extension Data {
    /// Cryptographically secure random bytes.
    static func random(count: Int) -> Data {
        var generator = SystemRandomNumberGenerator()
        return Data((0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }
}
