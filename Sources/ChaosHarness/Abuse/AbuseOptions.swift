import Foundation

/// What an abuse run of `cks serve` does: how many hostile requests, slow clients and flooding connections,
/// and the descriptor limit the server runs under.
public struct AbuseOptions: Sendable {
    public var cks: URL
    public var seed: UInt64 = 1
    /// Malformed or hostile requests, spread over `HostileKind`'s kinds.
    public var requests = 10_000
    /// Threads sending the hostile requests.
    public var hostileThreads = 4
    /// Clients that send a valid request one byte a second.
    public var slowClients = 20
    /// Connections opened at once and held (more than the server's descriptors allow).
    public var floodConnections = 400
    /// How long the flood holds its connections, in seconds.
    public var floodSeconds = 5.0
    /// `ulimit -n` of the server.
    public var serverFileLimit = 256
    /// Threads of well-behaved clients measured throughout.
    public var goodClients = 2
    /// A pause after each good client's call (the test suite's short run leaves room for the other tests).
    public var goodClientPause = 0.0

    public init(cks: URL) {
        self.cks = cks
    }
}
