import Foundation
import KeyStoreEngine

/// The cryptographic operations go to KMS as they are: KMS checks the key and records its use.
extension AWSKeyStoreService: KMSCryptoService {
    public func encrypt(_ request: EncryptRequest) async throws(KMSError) -> EncryptResult {
        try await kms.encrypt(request)
    }

    public func decrypt(_ request: DecryptRequest) async throws(KMSError) -> DecryptResult {
        try await kms.decrypt(request)
    }

    public func generateDataKey(_ request: GenerateDataKeyRequest) async throws(KMSError) -> GeneratedDataKey {
        try await kms.generateDataKey(request)
    }

    public func generateRandom(numberOfBytes: Int, customKeyStoreId: String?) async throws(KMSError) -> Data {
        try await kms.generateRandom(numberOfBytes: numberOfBytes, customKeyStoreId: customKeyStoreId)
    }
}
