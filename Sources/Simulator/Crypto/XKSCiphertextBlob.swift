import Crypto
import Foundation
import KeyStoreEngine
import XKSClient

/// The ciphertext of a key in an external key store: double encryption, as KMS does it. The simulator first
/// encrypts with the KMS key's own material (the inner layer), then the external key store proxy encrypts
/// that whole inner layer with the external key (the outer layer); the blob keeps everything the proxy
/// answered, so Decrypt can send it back.
///
/// Layout (version 0x02; version 0x01 is `CiphertextBlob`):
///   version (1 byte, 0x02) · key ID length (1) · key ID (UTF-8)             — the header
///   outer IV length (1, 12 or 16) · outer IV · outer tag (16)
///   outer metadata length (1, 0–20) · outer metadata (the proxy's ciphertextMetadata)
///   outer ciphertext (the proxy's encryption of the inner layer, as long as it)
/// Inner layer: nonce (12) · AES-256-GCM ciphertext · tag (16), under the KMS key's material with the header
/// and the canonical encryption context as additional authenticated data.
/// The proxy's additional authenticated data: SHA-256 of `"cks-xks-v1" · uint16be(len ARN) · key ARN ·
/// canonical encryption context`, so another encryption context or another key fails at the proxy
/// (InvalidCiphertextException) before the inner layer is tried; a key re-created on the same external key
/// has another ID, ARN and material, so it reads none of the old key's blobs.
enum XKSCiphertextBlob {
    static let version: UInt8 = 0x02
    static let nonceSize = 12
    static let tagSize = 16

    static func isDoubleEncrypted(_ blob: Data) -> Bool {
        blob.first == version
    }

    /// The inner layer of `plaintext`: what is sent to the proxy.
    static func innerLayer(_ plaintext: Data, keyId: String, material: Data, context: [String: String]) throws(KMSError) -> [UInt8] {
        do {
            let box = try AES.GCM.seal(plaintext, using: SymmetricKey(data: material), nonce: AES.GCM.Nonce(),
                                       authenticating: header(keyId: keyId) + EncryptionContext.canonicalBytes(context))
            return Array(box.nonce) + Array(box.ciphertext) + Array(box.tag)
        } catch {
            throw KMSError(.kmsInternal, "The simulator could not encrypt with key \(keyId): \(error).")
        }
    }

    /// The plaintext inside an inner layer the proxy gave back; a layer that does not open under this key and
    /// context is KMS's "submitted for decryption … is corrupted" KMSInvalidStateException.
    static func openInnerLayer(_ layer: [UInt8], keyId: String, material: Data, context: [String: String]) throws(KMSError) -> Data {
        guard layer.count >= nonceSize + tagSize else { throw KMSError(.kmsInvalidState, XKSMessages.innerCiphertextInvalid) }
        do {
            let box = try AES.GCM.SealedBox(nonce: AES.GCM.Nonce(data: layer[0..<nonceSize]),
                                            ciphertext: layer[nonceSize..<(layer.count - tagSize)],
                                            tag: layer[(layer.count - tagSize)...])
            return try AES.GCM.open(box, using: SymmetricKey(data: material),
                                    authenticating: header(keyId: keyId) + EncryptionContext.canonicalBytes(context))
        } catch {
            throw KMSError(.kmsInvalidState, XKSMessages.innerCiphertextInvalid)
        }
    }

    /// The additional authenticated data sent to the proxy with both Encrypt and Decrypt.
    static func proxyAAD(keyArn: String, context: [String: String]) -> [UInt8] {
        let arn = Array(keyArn.utf8.prefix(Int(UInt16.max)))
        var hash = SHA256()
        hash.update(data: Array("cks-xks-v1".utf8))
        hash.update(data: [UInt8(arn.count >> 8), UInt8(arn.count & 0xFF)])
        hash.update(data: arn)
        hash.update(data: EncryptionContext.canonicalBytes(context))
        return Array(hash.finalize())
    }

    /// The blob: the header and the proxy's whole answer.
    static func assemble(keyId: String, outer: XKSEncryptAnswer) -> Data {
        var blob = header(keyId: keyId)
        blob.append(UInt8(outer.initializationVector.count))
        blob += outer.initializationVector
        blob += outer.authenticationTag
        blob.append(UInt8(outer.ciphertextMetadata.count))
        blob += outer.ciphertextMetadata
        blob += outer.ciphertext
        return Data(blob)
    }

    /// The key the blob names and the proxy's answer it holds; InvalidCiphertextException when the blob is
    /// not one of ours.
    static func parse(_ blob: Data) throws(KMSError) -> (keyId: String, outer: XKSEncryptAnswer) {
        let bytes = [UInt8](blob)
        guard bytes.count >= 2, bytes[0] == version, bytes[1] > 0 else { throw invalid }
        var at = 2 + Int(bytes[1])
        guard bytes.count > at, let keyId = String(validating: bytes[2..<at], as: UTF8.self) else { throw invalid }
        let ivCount = Int(bytes[at])
        at += 1
        guard ivCount == 12 || ivCount == 16, bytes.count > at + ivCount + tagSize else { throw invalid }
        let iv = Array(bytes[at..<(at + ivCount)])
        at += ivCount
        let tag = Array(bytes[at..<(at + tagSize)])
        at += tagSize
        let metadataCount = Int(bytes[at])
        at += 1
        guard metadataCount <= 20, bytes.count >= at + metadataCount + nonceSize + tagSize else { throw invalid }
        let metadata = Array(bytes[at..<(at + metadataCount)])
        at += metadataCount
        return (keyId, XKSEncryptAnswer(ciphertext: Array(bytes[at...]), initializationVector: iv, authenticationTag: tag,
                                        ciphertextMetadata: metadata))
    }

    private static func header(keyId: String) -> [UInt8] {
        let id = Array(keyId.utf8.prefix(255))
        return [version, UInt8(id.count)] + id
    }

    private static var invalid: KMSError {
        KMSError(.invalidCiphertext,
                 "The ciphertext is not valid: it was changed, it was not made by this KMS, or the encryption context differs from the one used to encrypt.")
    }
}
