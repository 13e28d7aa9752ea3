import Foundation
import KeyStoreEngine

/// The events of one session, numbered from 1, and the streams that follow them. Owned by one actor.
struct EventLog {
    private(set) var events: [KeyStoreEvent] = []
    private var subscribers: [UUID: AsyncStream<KeyStoreEvent>.Continuation] = [:]
    /// The most events kept; older ones are dropped (a console session of days stays bounded).
    let capacity: Int

    init(capacity: Int = 20_000) {
        self.capacity = capacity
    }

    var latestSequence: Int64 { events.last?.sequence ?? dropped }
    var subscriberCount: Int { subscribers.count }
    private var dropped: Int64 = 0

    /// Appends events stamped `time` and hands them to every subscriber.
    @discardableResult
    mutating func append(_ changes: [SnapshotDiff.Change], at time: Date) -> [KeyStoreEvent] {
        var added: [KeyStoreEvent] = []
        for change in changes {
            let event = KeyStoreEvent(sequence: latestSequence + 1, time: time, keyStoreId: change.keyStoreId, kind: change.kind)
            events.append(event)
            added.append(event)
            for continuation in subscribers.values { continuation.yield(event) }
        }
        if events.count > capacity {
            let excess = events.count - capacity
            dropped = events[excess - 1].sequence
            events.removeFirst(excess)
        }
        return added
    }

    /// Appends an event of the session itself (no store: credentials refreshed or failing), for the log.
    mutating func appendNotice(_ text: String, at time: Date) {
        let event = KeyStoreEvent(sequence: latestSequence + 1, time: time, keyStoreId: nil, kind: .worldChanged(description: text))
        events.append(event)
        for continuation in subscribers.values { continuation.yield(event) }
    }

    /// Hands `continuation` every event after `sequence`, then each new one.
    mutating func subscribe(_ id: UUID, after sequence: Int64, _ continuation: AsyncStream<KeyStoreEvent>.Continuation) {
        for event in events where event.sequence > sequence { continuation.yield(event) }
        subscribers[id] = continuation
    }

    mutating func unsubscribe(_ id: UUID) {
        subscribers[id] = nil
    }

    func history(ofKeyStore id: String) -> [KeyStoreEvent] {
        events.filter { $0.keyStoreId == id }
    }
}
