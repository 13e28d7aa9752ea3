import Foundation
import GRDB
import KeyStoreEngine
import Synchronization

/// The embedded KMS: a world of CloudHSM clusters and custom key stores in one SQLite file, whose
/// connect and disconnect workflows advance with the clock in whichever process has the world open.
public final class SimulatorService: KeyStoreService {
    public let backend: BackendDescription
    /// The folder holding the world file.
    public let home: URL
    let database: WorldDatabase
    let clock: any WorldClock
    let pace: WorkflowPace
    let signal = ChangeSignal()
    /// The routes, the embedded proxy and the client of the simulated KMS's calls to external key store proxies.
    let xksNetwork: XKSNetwork
    let pendingUsage = PendingUsage()
    /// Answers of hot reads kept until the world changes.
    let readModel: WorldReadModel
    /// How long a use of a key waits for others to share its write (`PendingUsage`).
    let usageFlushDelay: Duration
    /// The usual `usageFlushDelay`: another process sees a use within this time.
    public static let defaultUsageFlushDelay: Duration = .milliseconds(100)
    /// When this process opened the world: it makes no proxy health probe before `pace.firstHealthProbeDelay` after.
    let openedAt: Date
    /// External key stores whose connect health call this process is making now.
    let inFlight: Mutex<Set<String>> = Mutex([])
    private let monitor: Mutex<FileChangeMonitor?> = Mutex(nil)
    private let driver: Mutex<Task<Void, Never>?> = Mutex(nil)

    /// Opens the world in `home` (default: `$CKS_HOME`, else the XDG data folder), seeding the demo world
    /// if it is new.
    /// - Parameters:
    ///   - drive: run a background driver that advances workflows when their steps are due, and watch the
    ///     file for other processes' changes (the console, `--wait`, the server). One-shot commands pass false:
    ///     every read catches up with what is overdue anyway.
    ///   - usageFlushDelay: how long uses of keys wait to be written together (tests lengthen it to see
    ///     which other path wrote them).
    ///   - xksTimeout: how long a call to an XKS proxy waits per attempt: KMS's 250 ms unless `CKS_XKS_TIMEOUT_MS`
    ///     says otherwise (tests on a loaded machine lengthen it; a debug build's TLS handshake alone can take more).
    ///   - healthProbes: with `drive`, also make KMS's periodic `KmsHealthCheck` probes of CONNECTED external key
    ///     stores. Only the console shows their answers, so only it asks for them: other processes never start
    ///     the embedded proxy for a probe.
    public static func open(
        home: URL? = nil, clock: any WorldClock = SystemClock(), pace: WorkflowPace = .default, drive: Bool = true,
        seed: DemoWorld? = nil, usageFlushDelay: Duration = defaultUsageFlushDelay, xksTimeout: Duration? = nil,
        healthProbes: Bool = false
    ) throws(WorldError) -> SimulatorService {
        let home = home ?? WorldDatabase.defaultHome()
        let database = try WorldDatabase.open(home: home)
        let info: WorldInfoRecord
        do {
            // The demo world is read from its JSON only when a new world needs it (not at every command's start).
            let (existing, seeded) = try database.pool.write { db -> (WorldInfoRecord, DemoWorld?) in
                if let info = try WorldInfoRecord.fetchOne(db) { return (info, nil) }
                let world = seed ?? DemoWorld.standard
                return (try world.seed(into: db, now: clock.now()), world)
            }
            info = existing
            // The demo's external key stores talk to the embedded proxy: it gets their logical key stores.
            seeded?.prepareEmbeddedProxy(home: home, now: clock.now())
        } catch let error as WorldError {
            throw error
        } catch {
            throw WorldError.machineLimit(error, path: database.path)
                ?? .unusable(path: database.path, reason: "the demo world could not be written: \(error)")
        }
        let service = SimulatorService(database: database, home: home, clock: clock, pace: pace,
                                       usageFlushDelay: usageFlushDelay, backend: BackendDescription(name: "simulator", region: info.region, accountId: info.accountId),
                                       xksTimeout: xksTimeout ?? XKSNetwork.timeout(environment: ProcessInfo.processInfo.environment))
        if drive { service.startDriving(healthProbes: healthProbes) }
        return service
    }

    private init(database: WorldDatabase, home: URL, clock: any WorldClock, pace: WorkflowPace,
                 usageFlushDelay: Duration, backend: BackendDescription, xksTimeout: Duration) {
        self.database = database
        self.readModel = WorldReadModel(path: database.path)
        self.usageFlushDelay = usageFlushDelay
        self.home = home
        self.clock = clock
        self.pace = pace
        openedAt = clock.now()
        self.backend = backend
        xksNetwork = XKSNetwork(home: home, region: backend.region, timeout: xksTimeout)
    }

    deinit {
        readModel.close()
        driver.withLock { $0?.cancel() }
        try? writePendingUsesNow()
    }

    /// The credentials `cks serve` accepts by default: a pair generated with the world and kept in it.
    public func serverCredentials() async throws(KMSError) -> (accessKeyId: String, secretAccessKey: String) {
        try await read { tx in
            let info = try tx.info()
            return (info.accessKeyId, info.secretAccessKey)
        }
    }

    /// Writes the uses of keys not yet in the world (if it can: `writePendingUsesNow()` says why not), then
    /// stops the background driver and the file watch.
    public func close() {
        try? writePendingUsesNow()
        driver.withLock { $0?.cancel(); $0 = nil }
        monitor.withLock { $0 = nil }
        let network = xksNetwork
        Task { await network.shutdown() }
    }

    /// Stops the embedded XKS proxy and closes the connections to proxies (`close()` does it in the background).
    public func shutdownProxyConnections() async {
        await xksNetwork.shutdown()
    }

    private func startDriving(healthProbes: Bool) {
        let signal = self.signal
        monitor.withLock { $0 = FileChangeMonitor(folder: home) { signal.fire() } }
        // The loop holds the service only while it works, never while it waits, so dropping the service ends it.
        let task = Task { [weak self] in
            while !Task.isCancelled {
                guard let wait = await self?.advanceAndPrepareWait(healthProbes: healthProbes) else { return }
                await wait()
            }
        }
        driver.withLock { $0 = task }
    }

    /// Runs what is due, then returns the wait until the next due step or the next change of the world.
    private func advanceAndPrepareWait(healthProbes: Bool) async -> @Sendable () async -> Void {
        let signal = self.signal
        let clock = self.clock
        let generation = signal.generation
        try? await catchUp()
        let nextProbe = healthProbes ? try? await runDueHealthProbes() : nil
        let due = [try? nextDueDate(), nextProbe].compactMap { $0 }.min()
        return {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await signal.wait(after: generation) }
                if let due {
                    group.addTask { try? await clock.sleep(until: due) }
                }
                await group.next()
                group.cancelAll()
            }
        }
    }

    // MARK: Transactions
    //
    // Reads take a snapshot synchronously on the calling thread: in WAL mode a reader never waits for a
    // writer, a query takes microseconds, and GRDB's async calls would hop to a dispatch queue and back (two
    // thread switches per request in `cks serve`). Writes go through GRDB's async calls: a write may wait for
    // another process's lock (up to the busy timeout) and must not hold an event loop or a shared task thread.

    /// Runs every workflow step and key deletion that is due. Reads and writes call it first.
    /// A connect's health call runs here, outside any transaction (`runDueProxySteps`).
    public func catchUp() async throws(KMSError) {
        // Each round runs what is due up to a health call, then the calls; their outcomes may make more due.
        for _ in 0..<16 {
            let now = clock.now()
            guard let due = try nextDueDate(), due <= now else { return }
            let changed: Bool = try await writeTransaction(now: now, catchingUp: false) { tx in
                try WorkflowRunner(tx: tx).catchUp()
            }
            if changed { signal.fire() }
            let called = try await runDueProxySteps(now: now)
            if !changed && !called { return }
        }
    }

    private func nextDueDate() throws(KMSError) -> Date? {
        do {
            return try database.pool.read { db in try WorkflowRunner.nextDueDate(db) }
        } catch {
            throw internalError(error)
        }
    }

    /// Runs `body` in an IMMEDIATE write transaction after catching up, so it sees the world as of now.
    func write<T: Sendable>(_ body: @escaping @Sendable (WorldTransaction) throws -> T) async throws(KMSError) -> T {
        try await catchUp()
        let result = try await writeTransaction(now: clock.now(), catchingUp: true, body)
        signal.fire()
        return result
    }

    /// Runs `body` on a consistent snapshot (on the calling thread), after catching up.
    func read<T: Sendable>(_ body: @escaping @Sendable (WorldTransaction) throws -> T) async throws(KMSError) -> T {
        // One snapshot when nothing is due (the common case); otherwise catch up first, then read.
        if let answer = try snapshot(body, unlessDue: true) { return answer }
        try await catchUp()
        return try snapshot(body, unlessDue: false)!
    }

    /// `body` on one snapshot; nil when `unlessDue` and work is due, which the caller must catch up first.
    private func snapshot<T>(_ body: (WorldTransaction) throws -> T, unlessDue: Bool) throws(KMSError) -> T? {
        let now = clock.now()
        do {
            return try database.pool.read { db -> T? in
                if unlessDue, let due = try WorkflowRunner.nextDueDate(db), due <= now { return nil }
                return try body(WorldTransaction(db: db, now: now))
            }
        } catch let error as KMSError {
            throw error
        } catch {
            throw internalError(error)
        }
    }

    /// `body` on one snapshot as of now, without catching up.
    func readNow<T>(_ body: (WorldTransaction) throws -> T) throws(KMSError) -> T {
        try snapshot(body, unlessDue: false)!
    }

    func writeTransaction<T: Sendable>(
        now: Date, catchingUp: Bool, _ body: @escaping @Sendable (WorldTransaction) throws -> T
    ) async throws(KMSError) -> T {
        let pendingUsage = self.pendingUsage
        do {
            return try await database.pool.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    pendingUsage.writeIfPossible(into: db)
                    let tx = WorldTransaction(db: db, now: now)
                    if catchingUp { try WorkflowRunner(tx: tx).catchUp() }
                    result = try body(tx)
                    return .commit
                }
                return result!
            }
        } catch let error as KMSError {
            throw error
        } catch {
            throw internalError(error)
        }
    }

    // MARK: Uses of keys

    /// Records a use of a key without a write of its own: it goes to the world with the next write, or
    /// `usageFlushDelay` later at the latest.
    func recordUse(keyId: String, operation: String, time: Date) {
        guard pendingUsage.add(keyId: keyId, operation: operation, time: time) else { return }
        let delay = usageFlushDelay
        Task { [weak self] in
            while true {
                try? await Task.sleep(for: delay)
                guard let self else { return }
                try? await self.writePendingUses()
                if self.pendingUsage.finishFlush() { return }
            }
        }
    }

    /// Writes the uses of keys not yet in the world (the flush task's way: it waits for the lock off-thread).
    private func writePendingUses() async throws(KMSError) {
        let pendingUsage = self.pendingUsage
        let written: Int
        do {
            written = try await database.pool.writeWithoutTransaction { db in
                var written = 0
                try db.inTransaction(.immediate) {
                    written = try pendingUsage.write(into: db)
                    return .commit
                }
                return written
            }
        } catch {
            throw internalError(error)
        }
        if written > 0 { signal.fire() }
    }

    /// Writes the uses of keys not yet in the world now, blocking until it is done: `cks serve` calls it
    /// before it exits and reports a failure (the uses are then lost).
    public func writePendingUsesNow() throws(KMSError) {
        do {
            try database.pool.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    _ = try pendingUsage.write(into: db)
                    return .commit
                }
            }
        } catch {
            throw internalError(error)
        }
    }

    private func internalError(_ error: any Error) -> KMSError {
        if let limit = WorldError.machineLimit(error, path: database.path) { return KMSError(.kmsInternal, limit.description) }
        return KMSError(.kmsInternal, "The simulator could not use its world file \(database.path): \(error)")
    }
}
