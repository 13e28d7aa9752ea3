import Crypto

enum Digest {
    static func sha256Hex<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String {
        Hex.lowercase(SHA256.hash(data: Array(bytes)))
    }

    static func hmac(key: [UInt8], _ message: String) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Array(message.utf8), using: SymmetricKey(data: key)))
    }
}
