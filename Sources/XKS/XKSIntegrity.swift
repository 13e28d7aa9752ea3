import Crypto

/// The two byte layouts the spec defines around AES-GCM: the AAD that binds `ciphertextMetadata` to a
/// ciphertext, and the ciphertext data integrity value (CDIV) KMS can ask for.
public enum XKSIntegrity {
    /// Largest AAD the framing can carry (its length is a 16-bit field).
    public static let maxAADBytes = Int(UInt16.max)
    /// Largest `ciphertextMetadata` the spec allows.
    public static let maxMetadataBytes = 20

    /// `uint16be(len AAD) || AAD || uint8(len metadata) || metadata`, lengths 0 when absent: the GCM AAD a
    /// proxy gives its key manager, so the metadata is authenticated and cannot be mistaken for AAD.
    public static func framedAAD(aad: [UInt8], metadata: [UInt8]) -> [UInt8] {
        precondition(aad.count <= maxAADBytes && metadata.count <= UInt8.max, "AAD or metadata too long to frame")
        var framed: [UInt8] = []
        framed.reserveCapacity(3 + aad.count + metadata.count)
        framed.append(UInt8(aad.count >> 8))
        framed.append(UInt8(aad.count & 0xFF))
        framed.append(contentsOf: aad)
        framed.append(UInt8(metadata.count))
        framed.append(contentsOf: metadata)
        return framed
    }

    /// SHA-256 over `AAD || ciphertextMetadata || IV || ciphertext || tag` (decoded bytes, absent parts empty).
    public static func dataIntegrityValue(
        aad: [UInt8], metadata: [UInt8], iv: [UInt8], ciphertext: [UInt8], tag: [UInt8]
    ) -> [UInt8] {
        var hash = SHA256()
        for part in [aad, metadata, iv, ciphertext, tag] { hash.update(data: part) }
        return Array(hash.finalize())
    }
}
