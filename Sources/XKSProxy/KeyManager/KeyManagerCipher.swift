import Crypto
import XKS

/// What the key manager does with a key: AES-256-GCM over the spec's framed AAD, so that the ciphertext
/// metadata is authenticated with the ciphertext.
enum KeyManagerCipher {
    /// The vendor data every ciphertext carries (`ciphertextMetadata`, at most 20 bytes): which key
    /// format made it.
    static let metadata = Array("cks-xks key v1".utf8)

    struct Sealed {
        var ciphertext: [UInt8]
        var iv: [UInt8]
        var tag: [UInt8]
        var metadata: [UInt8]
    }

    static func encrypt(_ plaintext: [UInt8], aad: [UInt8], key: SymmetricKey) throws(XKSError) -> Sealed {
        let framed = XKSIntegrity.framedAAD(aad: aad, metadata: metadata)
        do {
            let box = try AES.GCM.seal(plaintext, using: key, nonce: AES.GCM.Nonce(), authenticating: framed)
            let sealed = Sealed(ciphertext: Array(box.ciphertext), iv: Array(box.nonce), tag: Array(box.tag), metadata: metadata)
            // The spec asks a proxy to prove the answer decrypts before it sends it.
            _ = try AES.GCM.open(box, using: key, authenticating: framed)
            return sealed
        } catch {
            throw XKSError(.internal, "The key manager could not encrypt: \(error).")
        }
    }

    static func decrypt(
        ciphertext: [UInt8], iv: [UInt8], tag: [UInt8], metadata: [UInt8], aad: [UInt8], key: SymmetricKey
    ) throws(XKSError) -> [UInt8] {
        let framed = XKSIntegrity.framedAAD(aad: aad, metadata: metadata)
        do {
            let box = try AES.GCM.SealedBox(nonce: AES.GCM.Nonce(data: iv), ciphertext: ciphertext, tag: tag)
            return Array(try AES.GCM.open(box, using: key, authenticating: framed))
        } catch {
            throw XKSError(.invalidCiphertext, "The ciphertext, its IV, tag or metadata, or the additional authenticated data do not match: the ciphertext cannot be decrypted with this key.")
        }
    }
}
