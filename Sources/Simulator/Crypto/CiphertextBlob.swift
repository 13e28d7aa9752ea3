import Crypto
import Foundation
import KeyStoreEngine

/// The ciphertext the simulator returns (Encrypt, GenerateDataKey): AES-256-GCM under the key's material, with a header that names the
/// key, so that Decrypt finds the key without a KeyId.
///
/// Layout: version (1 byte, 0x01) · key ID length (1 byte) · key ID (UTF-8) · nonce (12 bytes) ·
/// ciphertext · tag (16 bytes). The header and the canonical encryption context are the additional
/// authenticated data: changing either makes the blob fail to decrypt.
enum CiphertextBlob {
    static let version: UInt8 = 0x01
    static let nonceSize = 12
    static let tagSize = 16

    /// Encrypts `plaintext` for the key `keyId` with its 32-byte material.
    static func seal(_ plaintext: Data, keyId: String, material: Data, context: [String: String]) throws(KMSError) -> Data {
        let header = self.header(keyId: keyId)
        do {
            let box = try AES.GCM.seal(plaintext, using: SymmetricKey(data: material), nonce: AES.GCM.Nonce(),
                                       authenticating: header + EncryptionContext.canonicalBytes(context))
            var blob = Data(header)
            blob.append(contentsOf: box.nonce)
            blob.append(box.ciphertext)
            blob.append(box.tag)
            return blob
        } catch {
            throw KMSError(.kmsInternal, "The simulator could not encrypt with key \(keyId): \(error).")
        }
    }

    /// The ID of the key that made the blob, or InvalidCiphertextException when the blob is not one of ours.
    static func keyId(of blob: Data) throws(KMSError) -> String {
        try parse(blob).keyId
    }

    /// Decrypts a blob with the material of the key it names.
    static func open(_ blob: Data, material: Data, context: [String: String]) throws(KMSError) -> Data {
        let parts = try parse(blob)
        do {
            let box = try AES.GCM.SealedBox(nonce: AES.GCM.Nonce(data: parts.nonce), ciphertext: parts.ciphertext, tag: parts.tag)
            return try AES.GCM.open(box, using: SymmetricKey(data: material),
                                    authenticating: parts.header + EncryptionContext.canonicalBytes(context))
        } catch {
            throw invalid
        }
    }

    private static func header(keyId: String) -> [UInt8] {
        let id = Array(keyId.utf8.prefix(255))
        return [version, UInt8(id.count)] + id
    }

    private struct Parts {
        var header: [UInt8]
        var keyId: String
        var nonce: Data
        var ciphertext: Data
        var tag: Data
    }

    private static func parse(_ blob: Data) throws(KMSError) -> Parts {
        let bytes = [UInt8](blob)
        guard bytes.count >= 2, bytes[0] == version else { throw invalid }
        let idEnd = 2 + Int(bytes[1])
        guard bytes[1] > 0, bytes.count >= idEnd + nonceSize + tagSize + 1,
              let keyId = String(validating: bytes[2..<idEnd], as: UTF8.self) else { throw invalid }
        let nonceEnd = idEnd + nonceSize
        let tagStart = bytes.count - tagSize
        return Parts(header: Array(bytes[0..<idEnd]), keyId: keyId, nonce: Data(bytes[idEnd..<nonceEnd]),
                     ciphertext: Data(bytes[nonceEnd..<tagStart]), tag: Data(bytes[tagStart...]))
    }

    static var invalid: KMSError {
        KMSError(.invalidCiphertext,
                 "The ciphertext is not valid: it was changed, it was not made by this KMS, or the encryption context differs from the one used to encrypt.")
    }
}
