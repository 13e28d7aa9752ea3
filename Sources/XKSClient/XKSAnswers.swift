import KeyStoreEngine
import XKS

/// GetKeyMetadata's answer (keySpec, keyUsage, keyStatus), decoded and with every field present.
public typealias XKSKeyMetadataAnswer = XKSKeyMetadataResponse

extension XKSKeyMetadataResponse {
    /// The XksKeyInvalidConfigurationException CreateKey throws when the external key cannot back a KMS key
    /// (KMS's messages), or nil when it can: AES_256, usable to ENCRYPT and DECRYPT, ENABLED.
    public func invalidConfigurationError() -> KMSError? {
        if keySpec != XKSAlgorithm.aes256 {
            return KMSError(.xksKeyInvalidConfiguration,
                            "The key spec of the external key must be AES_256. The key spec of specified external key is \(keySpec).")
        }
        if !keyUsage.contains(XKSKeyUsage.encrypt.rawValue) || !keyUsage.contains(XKSKeyUsage.decrypt.rawValue) {
            let usage = keyUsage.isEmpty ? "none" : keyUsage.joined(separator: ", ")
            return KMSError(.xksKeyInvalidConfiguration,
                            "The key usage of the external key must include ENCRYPT and DECRYPT. The key use of specified external key is \(usage).")
        }
        if keyStatus != "ENABLED" {
            return KMSError(.xksKeyInvalidConfiguration,
                            "The status of the external key must be ENABLED. The status of specified external key is \(keyStatus).")
        }
        return nil
    }
}

/// A proxy's Encrypt answer, decoded and checked: what a double-encrypted ciphertext keeps of the outer
/// layer and what Decrypt sends back.
public struct XKSEncryptAnswer: Sendable, Hashable {
    public var ciphertext: [UInt8]
    /// 12 or 16 bytes.
    public var initializationVector: [UInt8]
    /// 16 bytes.
    public var authenticationTag: [UInt8]
    /// Vendor data, at most 20 bytes; empty when the proxy sent none.
    public var ciphertextMetadata: [UInt8]

    public init(ciphertext: [UInt8], initializationVector: [UInt8], authenticationTag: [UInt8], ciphertextMetadata: [UInt8]) {
        self.ciphertext = ciphertext
        self.initializationVector = initializationVector
        self.authenticationTag = authenticationTag
        self.ciphertextMetadata = ciphertextMetadata
    }
}

/// The checks KMS applies to a proxy's answers before it trusts them; a failed check is an invalid response.
enum XKSAnswerRules {
    static let maxFleetDetails = 10

    static func health(_ answer: XKSHealthResponse) -> Result<XKSProxyHealth.Report, XKSCallFailure> {
        guard answer.xksProxyFleetSize > 0 else {
            return .failure(.invalidResponse("xksProxyFleetSize is \(answer.xksProxyFleetSize); it must be at least 1"))
        }
        guard (1...maxFleetDetails).contains(answer.ekmFleetDetails.count) else {
            return .failure(.invalidResponse("ekmFleetDetails has \(answer.ekmFleetDetails.count) entries; 1 to \(maxFleetDetails) are allowed"))
        }
        if answer.ekmFleetDetails.allSatisfy({ $0.healthStatus == .unavailable }) {
            return .failure(XKSCallFailure.keyManagersUnavailable)
        }
        return .success(XKSProxyHealth.Report(
            xksProxyFleetSize: answer.xksProxyFleetSize, xksProxyVendor: answer.xksProxyVendor,
            xksProxyModel: answer.xksProxyModel, ekmVendor: answer.ekmVendor,
            ekmFleetDetails: answer.ekmFleetDetails.map {
                XKSProxyHealth.KeyManagerInstance(id: $0.id, model: $0.model, healthStatus: $0.healthStatus.rawValue)
            }))
    }

    static func keyMetadata(_ answer: XKSKeyMetadataResponse) -> Result<XKSKeyMetadataAnswer, XKSCallFailure> {
        guard answer.keyUsage.count <= 10 else {
            return .failure(.invalidResponse("keyUsage has \(answer.keyUsage.count) values; at most 10 are allowed"))
        }
        return .success(answer)
    }

    /// Decodes the Base64 fields and checks sizes and the CDIV (always requested) against `aad`.
    static func encrypt(_ answer: XKSEncryptResponse, plaintextCount: Int, aad: [UInt8]) -> Result<XKSEncryptAnswer, XKSCallFailure> {
        do throws(XKSError) {
            let ciphertext = try XKSBase64.require(answer.ciphertext, field: "ciphertext", maxCharacters: 1 << 16)
            let iv = try XKSBase64.require(answer.initializationVector, field: "initializationVector", maxCharacters: 64)
            let tag = try XKSBase64.require(answer.authenticationTag, field: "authenticationTag", maxCharacters: 64)
            let metadata = try XKSBase64.decode(answer.ciphertextMetadata, field: "ciphertextMetadata", maxCharacters: 64) ?? []
            let integrity = try XKSBase64.require(answer.ciphertextDataIntegrityValue, field: "ciphertextDataIntegrityValue", maxCharacters: 64)
            guard ciphertext.count == plaintextCount else {
                return .failure(.invalidResponse("ciphertext is \(ciphertext.count) bytes for \(plaintextCount) bytes of plaintext"))
            }
            guard iv.count == 12 || iv.count == 16 else {
                return .failure(.invalidResponse("initializationVector is \(iv.count) bytes; 12 or 16 are allowed"))
            }
            guard tag.count == 16 else {
                return .failure(.invalidResponse("authenticationTag is \(tag.count) bytes; it must be 16"))
            }
            guard metadata.count <= XKSIntegrity.maxMetadataBytes else {
                return .failure(.invalidResponse("ciphertextMetadata is \(metadata.count) bytes; at most \(XKSIntegrity.maxMetadataBytes) are allowed"))
            }
            let expected = XKSIntegrity.dataIntegrityValue(aad: aad, metadata: metadata, iv: iv, ciphertext: ciphertext, tag: tag)
            guard integrity == expected else {
                return .failure(.invalidResponse("ciphertextDataIntegrityValue does not match the answer"))
            }
            return .success(XKSEncryptAnswer(ciphertext: ciphertext, initializationVector: iv, authenticationTag: tag,
                                             ciphertextMetadata: metadata))
        } catch {
            return .failure(.invalidResponse(error.message))
        }
    }

    static func decrypt(_ answer: XKSDecryptResponse, ciphertextCount: Int) -> Result<[UInt8], XKSCallFailure> {
        do throws(XKSError) {
            let plaintext = try XKSBase64.require(answer.plaintext, field: "plaintext", maxCharacters: 1 << 16)
            guard plaintext.count == ciphertextCount else {
                return .failure(.invalidResponse("plaintext is \(plaintext.count) bytes for \(ciphertextCount) bytes of ciphertext"))
            }
            return .success(plaintext)
        } catch {
            return .failure(.invalidResponse(error.message))
        }
    }
}
