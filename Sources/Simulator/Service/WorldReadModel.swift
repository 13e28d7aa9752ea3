import Foundation
import GRDB
import KeyStoreEngine
import Synchronization

/// The answers of hot reads (DescribeKey, a key's use, ListKeys pages), kept in memory until the world changes.
///
/// Whether the world changed is asked of SQLite with `PRAGMA data_version` on a connection of its own that
/// never writes: its value moves with every commit of any other connection, this process's writer and other
/// processes alike. So a change committed anywhere is seen by the next read, exactly as without the model,
/// and a read that finds the version unchanged costs one tiny statement instead of a transaction of queries.
/// The version is read before the answer is computed on a newer or equal snapshot, so an answer is never older
/// than the version it is filed under. Nothing is kept once a workflow step or a key deletion falls due.
final class WorldReadModel: Sendable {
    /// What a cached answer is filed under.
    enum Question: Hashable, Sendable {
        case key(String)
        case keyUse(String)
        case keyPage(limit: Int, marker: String?)
    }

    /// The world as of one `PRAGMA data_version`: an answer computed after it may be filed with it.
    struct Version: Sendable {
        fileprivate let value: Int64
        fileprivate let nextDue: Date?
    }

    private struct State {
        var version: Int64 = -1
        var nextDue: Date?
        var answers: [Question: any Sendable] = [:]
    }

    /// At most this many answers are kept; a full model starts again empty (10,000 keys described one after
    /// the other must not grow the server by megabytes).
    static let capacity = 512

    private enum Connection {
        case notOpened
        case open(DatabaseQueue)
        case unusable
    }

    private let path: String
    private let connection = Mutex(Connection.notOpened)
    private let state = Mutex(State())

    /// A model of the world file at `path` (already open, in WAL mode, by the service's pool). Its connection
    /// opens on the first question, so a process that never asks one (a console, `cks list`) pays nothing.
    init(path: String) {
        self.path = path
    }

    /// The read-only connection, opened on first use; nil when it cannot be opened or is closed, and the
    /// service then reads SQLite every time.
    private func versionConnection() -> DatabaseQueue? {
        connection.withLock { connection in
            switch connection {
            case let .open(queue): return queue
            case .unusable: return nil
            case .notOpened:
                var configuration = Configuration()
                configuration.readonly = true
                configuration.label = "cks-world-version"
                configuration.busyMode = .timeout(TimeInterval(WorldDatabase.busyTimeoutSeconds))
                configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA cache_size = -64") }
                guard let queue = try? DatabaseQueue(path: path, configuration: configuration) else {
                    connection = .unusable
                    return nil
                }
                connection = .open(queue)
                return queue
            }
        }
    }

    /// Closes the connection (afterwards every question is a miss). The service calls it before its pool closes,
    /// so that the pool's last connection, not this read-only one, is the last and checkpoints the WAL away.
    func close() {
        let open = connection.withLock { connection -> DatabaseQueue? in
            defer { connection = .unusable }
            if case let .open(queue) = connection { return queue }
            return nil
        }
        try? open?.close()
    }

    /// The answer to `question` if the world has not changed since it was filed and nothing is due at `now`;
    /// otherwise nil and the version to file a fresh answer under (nil version: do not file it).
    func answer<T: Sendable>(_ question: Question, as _: T.Type, now: Date) -> (answer: T?, version: Version?) {
        guard let version = try? currentVersion() else { return (nil, nil) }
        if let due = version.nextDue, due <= now { return (nil, nil) }
        let cached = state.withLock { state -> (any Sendable)? in
            guard state.version == version.value else { return nil }
            return state.answers[question]
        }
        return (cached as? T, version)
    }

    /// Files `answer`, computed after `version` was read.
    func file<T: Sendable>(_ answer: T, for question: Question, at version: Version?) {
        guard let version else { return }
        state.withLock { state in
            guard state.version == version.value else { return }
            if state.answers.count >= Self.capacity { state.answers.removeAll(keepingCapacity: true) }
            state.answers[question] = answer
        }
    }

    /// The world's data version now; a new one empties the model and reads when work next falls due.
    private func currentVersion() throws -> Version {
        guard let connection = versionConnection() else { throw WorldError.unusable(path: path, reason: "closed") }
        let version = try connection.inDatabase { db in
            try Int64.fetchOne(db.cachedStatement(sql: "PRAGMA data_version")) ?? 0
        }
        if let known = state.withLock({ $0.version == version ? Optional($0.nextDue) : nil }) {
            return Version(value: version, nextDue: known)
        }
        // Read in one transaction, so the due date belongs to this version (or a newer one, which only
        // makes the model refresh once more).
        let (fresh, nextDue) = try connection.inDatabase { db in
            var result: (Int64, Date?) = (version, nil)
            try db.inTransaction(.deferred) {
                let fresh = try Int64.fetchOne(db.cachedStatement(sql: "PRAGMA data_version")) ?? 0
                result = (fresh, try WorkflowRunner.nextDueDate(db))
                return .commit
            }
            return result
        }
        state.withLock { state in
            guard fresh > state.version else { return }
            state.version = fresh
            state.nextDue = nextDue
            state.answers.removeAll(keepingCapacity: true)
        }
        return Version(value: fresh, nextDue: nextDue)
    }
}

extension SimulatorService {
    /// `read(body)`, answered from the read model while the world has not changed since the same question was
    /// last answered. `body` must depend on the world only (not on `tx.now`).
    func read<T: Sendable>(
        remembering question: WorldReadModel.Question, _ body: @escaping @Sendable (WorldTransaction) throws -> T
    ) async throws(KMSError) -> T {
        let (cached, version) = readModel.answer(question, as: T.self, now: clock.now())
        if let cached { return cached }
        let answer = try await read(body)
        readModel.file(answer, for: question, at: version)
        return answer
    }
}
