import Synchronization

/// Signing keys a verifier derived, by secret, day, Region and service: every request of a day signed with
/// the same credentials needs the same four-HMAC chain, so it is computed once.
final class SigningKeyCache: Sendable {
    private struct Scope: Hashable {
        var secretAccessKey: String
        var day: String
        var region: String
        var service: String
    }

    /// More scopes than this (many keys, Regions or days) start the cache afresh.
    private static let capacity = 64
    private let keys = Mutex<[Scope: [UInt8]]>([:])

    func key(secretAccessKey: String, day: String, region: String, service: String, derive: () -> [UInt8]) -> [UInt8] {
        let scope = Scope(secretAccessKey: secretAccessKey, day: day, region: region, service: service)
        if let key = keys.withLock({ $0[scope] }) { return key }
        let key = derive()
        keys.withLock { keys in
            if keys.count >= Self.capacity { keys.removeAll() }
            keys[scope] = key
        }
        return key
    }
}
