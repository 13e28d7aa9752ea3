import Foundation

/// The canonical bytes of an encryption context, bound to a ciphertext as additional authenticated data:
/// the pairs sorted by key (UTF-8 byte order), each key and value length-prefixed, so that the same context
/// gives the same bytes whatever order a client sends it in, and no two contexts give the same bytes.
enum EncryptionContext {
    static func canonicalBytes(_ context: [String: String]) -> [UInt8] {
        let pairs = context.map { (Array($0.key.utf8), Array($0.value.utf8)) }
            .sorted { $0.0.lexicographicallyPrecedes($1.0) }
        var bytes: [UInt8] = []
        append(UInt32(pairs.count), to: &bytes)
        for (key, value) in pairs {
            append(UInt32(key.count), to: &bytes)
            bytes += key
            append(UInt32(value.count), to: &bytes)
            bytes += value
        }
        return bytes
    }

    private static func append(_ value: UInt32, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { bytes += $0 }
    }
}
