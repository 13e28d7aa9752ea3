import Foundation
import HTTPServing
import LocalCA
import NIOCore

/// A proxy serving the state of a cks home folder: its file, its request log, its listener, and a watcher
/// that picks up what `cks xks-proxy` commands change (keys, credentials, faults) while it runs. The CLI
/// runs one; the simulated KMS can run one in process.
public final class RunningXKSProxy: Sendable {
    public let server: XKSProxyServer
    public let engine: XKSProxyEngine
    public let database: ProxyDatabase
    public let log: RequestLog
    private let watcher: Task<Void, Never>

    /// The bound port.
    public var port: Int { server.port }

    private init(server: XKSProxyServer, engine: XKSProxyEngine, database: ProxyDatabase, log: RequestLog, watcher: Task<Void, Never>) {
        self.server = server
        self.engine = engine
        self.database = database
        self.log = log
        self.watcher = watcher
    }

    /// Binds `host:port` (0: the system chooses) and serves the proxy of `home`. `tls` nil serves plain HTTP;
    /// `pollInterval` is how often the state file is checked for changes; `limits` bound what clients may take.
    public static func start(
        home: URL, host: String, port: Int, tls: ProxyTLSOptions?, pollInterval: Duration = .milliseconds(200),
        threads: Int = System.coreCount, limits: ServerLimits = .standard
    ) async throws(XKSProxyError) -> RunningXKSProxy {
        let database = try ProxyDatabase.open(home: home, create: false)
        let snapshot = try database.snapshot()
        let engine = XKSProxyEngine(snapshot: snapshot)
        let log = try RequestLog(path: RequestLog.fileURL(home: home).path)
        let server: XKSProxyServer
        do {
            server = try await XKSProxyServer.start(host: host, port: port, engine: engine, tls: tls, log: log, threads: threads,
                                               limits: limits)
        } catch {
            database.close()
            throw error
        }
        await server.follow(snapshot.faults)
        let watcher = Task {
            var seen = database.changeCounter()
            while !Task.isCancelled {
                try? await Task.sleep(for: pollInterval)
                if Task.isCancelled { break }
                let counter = database.changeCounter()
                guard counter != seen, let next = try? database.snapshot() else { continue }
                seen = counter
                engine.update(next)
                await server.follow(next.faults)
            }
        }
        return RunningXKSProxy(server: server, engine: engine, database: database, log: log, watcher: watcher)
    }

    /// Reads the state file now instead of at the next poll.
    public func reload() async throws(XKSProxyError) {
        let next = try database.snapshot()
        engine.update(next)
        await server.follow(next.faults)
    }

    public func stop() async {
        watcher.cancel()
        await watcher.value
        await server.stop()
        database.close()
    }
}
