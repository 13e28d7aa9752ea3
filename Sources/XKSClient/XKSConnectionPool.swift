import Synchronization

/// Idle keep-alive connections by proxy address: a call takes one (or dials), and gives it back when the
/// answer left it reusable. Connections in use belong to their call, so concurrent calls each have their own.
final class XKSConnectionPool: Sendable {
    /// Idle connections kept per address; more are closed when given back.
    static let maxIdlePerAddress = 8

    private let state = Mutex<(idle: [XKSProxyAddress: [XKSConnection]], closed: Bool)>(([:], false))

    /// An idle connection that is still open, if any (closed ones are dropped on the way).
    func take(_ address: XKSProxyAddress) -> XKSConnection? {
        state.withLock { state in
            while let connection = state.idle[address]?.popLast() {
                if connection.isActive { return connection }
            }
            return nil
        }
    }

    func giveBack(_ connection: XKSConnection, for address: XKSProxyAddress) {
        let kept = state.withLock { state -> Bool in
            guard !state.closed, connection.isActive else { return false }
            var idle = state.idle[address, default: []].filter(\.isActive)
            guard idle.count < Self.maxIdlePerAddress else { return false }
            idle.append(connection)
            state.idle[address] = idle
            return true
        }
        if !kept { connection.close() }
    }

    var isClosed: Bool { state.withLock { $0.closed } }

    /// Closes every idle connection; connections given back later are closed too.
    func close() async {
        let idle = state.withLock { state -> [XKSConnection] in
            state.closed = true
            defer { state.idle = [:] }
            return state.idle.values.flatMap { $0 }
        }
        for connection in idle { try? await connection.channel.close() }
    }

    /// How many idle connections are kept for `address` (for tests and the console).
    func idleCount(_ address: XKSProxyAddress) -> Int {
        state.withLock { $0.idle[address]?.filter(\.isActive).count ?? 0 }
    }
}
