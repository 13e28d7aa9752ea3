import NIOCore
import Synchronization

/// The open connections of a server, shared by its event loops, so that their number stays under a limit
/// without locking good clients out: when the limit is reached, a new connection takes the place of the one
/// that has been idle longest (an idle keep-alive connection costs its client only a reconnect); only when
/// every connection is busy with a request is the new one refused.
public final class ConnectionRegistry: Sendable {
    private struct Entry {
        let channel: any Channel
        /// When the connection last finished an answer (or opened); nil while a request is under way.
        var idleSince: UInt64?
    }

    private let entries = Mutex<[ObjectIdentifier: Entry]>([:])
    public let limit: Int

    public init(limit: Int) {
        self.limit = limit
    }

    /// Registers a new connection, closing the longest-idle one first when `limit` are open. False (and
    /// nothing registered) when all of them are busy.
    public func admit(_ channel: any Channel) -> Bool {
        let now = NIODeadline.now().uptimeNanoseconds
        let (admitted, evicted) = entries.withLock { entries -> (Bool, (any Channel)?) in
            var evicted: (any Channel)?
            if entries.count >= limit {
                guard let oldest = entries.filter({ $0.value.idleSince != nil })
                    .min(by: { $0.value.idleSince! < $1.value.idleSince! }) else { return (false, nil) }
                entries.removeValue(forKey: oldest.key)
                evicted = oldest.value.channel
            }
            entries[ObjectIdentifier(channel)] = Entry(channel: channel, idleSince: now)
            return (true, evicted)
        }
        evicted?.close(promise: nil)
        return admitted
    }

    /// A request started (busy) or its answer was written (idle).
    public func mark(_ channel: any Channel, idle: Bool) {
        let now = NIODeadline.now().uptimeNanoseconds
        entries.withLock { entries in
            entries[ObjectIdentifier(channel)]?.idleSince = idle ? now : nil
        }
    }

    public func remove(_ channel: any Channel) {
        _ = entries.withLock { $0.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    /// Closes every connection (a server stopping, or the proxy's stop-listening fault).
    public func closeAll() async {
        let open = entries.withLock { entries in entries.values.map(\.channel) }
        for channel in open { try? await channel.close() }
    }

    public var count: Int { entries.withLock { $0.count } }

    /// How many connections have a request under way.
    public var busyCount: Int { entries.withLock { entries in entries.values.count { $0.idleSince == nil } } }
}
