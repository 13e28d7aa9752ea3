import Synchronization

/// Signing keys a verifier derived and saw verify a signature, by secret, day, Region and service: every
/// request of a day signed with the same credentials needs the same four-HMAC chain, so it is computed once.
/// Scopes compare as bytes, as the HMAC chain reads them (not as Unicode-equivalent strings).
final class SigningKeyCache: Sendable {
    struct Scope: Hashable {
        var secretAccessKey: [UInt8]
        var day: [UInt8]
        var region: [UInt8]
        var service: [UInt8]

        init(secretAccessKey: String, day: String, region: String, service: String) {
            self.secretAccessKey = Array(secretAccessKey.utf8)
            self.day = Array(day.utf8)
            self.region = Array(region.utf8)
            self.service = Array(service.utf8)
        }
    }

    /// More scopes than this (many keys, Regions or days) start the cache afresh.
    private static let capacity = 64
    private let keys = Mutex<[Scope: [UInt8]]>([:])

    func key(for scope: Scope) -> [UInt8]? {
        keys.withLock { $0[scope] }
    }

    /// Keeps a key; call it only once a signature made with it has verified.
    func keep(_ key: [UInt8], for scope: Scope) {
        keys.withLock { keys in
            if keys.count >= Self.capacity { keys.removeAll() }
            keys[scope] = key
        }
    }
}
