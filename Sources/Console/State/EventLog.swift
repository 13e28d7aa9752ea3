import Foundation
import KeyStoreEngine

/// One line of the event log: an engine event, or an `aws kms …` command the console ran for the user.
public struct LogEntry: Sendable, Equatable {
    /// What the line records.
    public enum Kind: Sendable, Equatable {
        case event
        /// An action taken here; `text` is the equivalent `aws kms …` command.
        case command
        /// An API call that was refused; `text` is the exception and its message.
        case error
    }

    public var time: Date
    public var kind: Kind
    public var storeName: String?
    public var text: String
    /// The command a person can copy for this line.
    public var copyText: String?
}

/// The console's event log: every engine event and every command, newest last.
public struct EventLog: Sendable, Equatable {
    public static let capacity = 1000

    public private(set) var entries: [LogEntry] = []
    public var visible = true
    /// What the person chose with `l`, Tab or `:log`; nil leaves it to the layout (`Layout.opensLog`).
    public var chosen: Bool?
    public var focused = false
    /// The entry the cursor is on while the log has the focus; nil follows the newest.
    public var cursor: Int?

    mutating func append(_ entry: LogEntry) {
        entries.append(entry)
        if entries.count > Self.capacity {
            let overflow = entries.count - Self.capacity
            entries.removeFirst(overflow)
            cursor = cursor.map { max(0, $0 - overflow) }
        }
    }
}
