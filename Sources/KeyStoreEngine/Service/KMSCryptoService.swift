import Foundation

/// KMS's cryptographic operations on symmetric encryption keys: Encrypt, Decrypt, GenerateDataKey and
/// GenerateRandom. Every use of a key checks its state as KMS does (`KMSInvalidStateException: <ARN> is
/// unavailable.`, `DisabledException`, …).
public protocol KMSCryptoService: Sendable {
    func encrypt(_ request: EncryptRequest) async throws(KMSError) -> EncryptResult
    func decrypt(_ request: DecryptRequest) async throws(KMSError) -> DecryptResult
    func generateDataKey(_ request: GenerateDataKeyRequest) async throws(KMSError) -> GeneratedDataKey
    /// GenerateRandom; with a custom key store ID, that store must be a CONNECTED AWS CloudHSM key store
    /// (an external key store ID is UnsupportedOperationException).
    func generateRandom(numberOfBytes: Int, customKeyStoreId: String?) async throws(KMSError) -> Data
}

/// Encrypt.
public struct EncryptRequest: Sendable, Hashable {
    public var keyId: String
    public var plaintext: Data
    public var encryptionContext: [String: String]
    /// DryRun: answer with the error the call would give, or DryRunOperationException; nothing is used.
    public var dryRun: Bool

    public init(keyId: String, plaintext: Data, encryptionContext: [String: String] = [:], dryRun: Bool = false) {
        self.keyId = keyId
        self.plaintext = plaintext
        self.encryptionContext = encryptionContext
        self.dryRun = dryRun
    }
}

/// What Encrypt returns.
public struct EncryptResult: Sendable, Hashable {
    public var keyArn: String
    public var ciphertextBlob: Data

    public init(keyArn: String, ciphertextBlob: Data) {
        self.keyArn = keyArn
        self.ciphertextBlob = ciphertextBlob
    }
}

/// Decrypt. `keyId`, when given, must be the key that encrypted the blob (else IncorrectKeyException).
public struct DecryptRequest: Sendable, Hashable {
    public var ciphertextBlob: Data
    public var encryptionContext: [String: String]
    public var keyId: String?
    public var dryRun: Bool

    public init(ciphertextBlob: Data, encryptionContext: [String: String] = [:], keyId: String? = nil, dryRun: Bool = false) {
        self.ciphertextBlob = ciphertextBlob
        self.encryptionContext = encryptionContext
        self.keyId = keyId
        self.dryRun = dryRun
    }
}

/// What Decrypt returns.
public struct DecryptResult: Sendable, Hashable {
    public var keyArn: String
    public var plaintext: Data

    public init(keyArn: String, plaintext: Data) {
        self.keyArn = keyArn
        self.plaintext = plaintext
    }
}

/// GenerateDataKey (or GenerateDataKeyWithoutPlaintext): a data key of `numberOfBytes` (1 to 1024) bytes.
public struct GenerateDataKeyRequest: Sendable, Hashable {
    public var keyId: String
    public var numberOfBytes: Int
    public var encryptionContext: [String: String]
    public var dryRun: Bool
    /// GenerateDataKeyWithoutPlaintext: only the encrypted copy comes back.
    public var withoutPlaintext: Bool

    public init(keyId: String, numberOfBytes: Int, encryptionContext: [String: String] = [:], dryRun: Bool = false,
                withoutPlaintext: Bool = false) {
        self.keyId = keyId
        self.numberOfBytes = numberOfBytes
        self.encryptionContext = encryptionContext
        self.dryRun = dryRun
        self.withoutPlaintext = withoutPlaintext
    }

    /// The KMS operation this request is: what a key's last use and an XKS proxy's `kmsOperation` name.
    public var operation: String { withoutPlaintext ? "GenerateDataKeyWithoutPlaintext" : "GenerateDataKey" }
}

/// What GenerateDataKey returns: the data key in the clear (empty for GenerateDataKeyWithoutPlaintext) and
/// encrypted under the KMS key.
public struct GeneratedDataKey: Sendable, Hashable {
    public var keyArn: String
    public var plaintext: Data
    public var ciphertextBlob: Data

    public init(keyArn: String, plaintext: Data, ciphertextBlob: Data) {
        self.keyArn = keyArn
        self.plaintext = plaintext
        self.ciphertextBlob = ciphertextBlob
    }
}
