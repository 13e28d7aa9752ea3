import Crypto
import Synchronization

/// Signing keys a verifier derived and saw verify a signature, by secret, day, Region and service: every
/// request of a day signed with the same credentials needs the same four-HMAC chain, so it is computed once,
/// and kept as an `HMAC` already keyed (copied per request, so the key's padding is not hashed again).
/// Scopes compare as bytes, as the HMAC chain reads them (not as Unicode-equivalent strings).
final class SigningKeyCache: Sendable {
    /// The four parts, each after its length, in one array (one allocation per lookup, not four).
    struct Scope: Hashable {
        private var bytes: [UInt8]

        init(secretAccessKey: String, day: String, region: String, service: String) {
            bytes = []
            bytes.reserveCapacity(secretAccessKey.utf8.count + day.utf8.count + region.utf8.count + service.utf8.count + 32)
            for part in [secretAccessKey, day, region, service] {
                var count = UInt64(part.utf8.count)
                withUnsafeBytes(of: &count) { bytes.append(contentsOf: $0) }
                bytes.append(contentsOf: part.utf8)
            }
        }
    }

    /// More scopes than this (many keys, Regions or days) start the cache afresh.
    private static let capacity = 64
    private let keys = Mutex<[Scope: HMAC<SHA256>]>([:])

    func key(for scope: Scope) -> HMAC<SHA256>? {
        keys.withLock { $0[scope] }
    }

    /// Keeps a key; call it only once a signature made with it has verified.
    func keep(_ key: HMAC<SHA256>, for scope: Scope) {
        keys.withLock { keys in
            if keys.count >= Self.capacity { keys.removeAll() }
            keys[scope] = key
        }
    }
}
