import CKSTestSupport
import Foundation
import GRDB
import KeyStoreEngine
import SigV4

/// One chaos run: seeds a world, lets CLI commands, a server with its KMS clients and a console work on it at
/// once while the killer strikes, then lets every workflow finish and checks the world file.
public struct ChaosRun: Sendable {
    public let options: ChaosOptions

    public init(options: ChaosOptions) {
        self.options = options
    }

    /// What a run found.
    public struct Outcome: Sendable {
        public var seconds: Double
        public var kills: [VictimKind: Int]
        public var workflows: Int
        public var commands: Int
        public var requests: Int
        public var succeeded: Int
        public var refusedConnections: Int
        public var decrypted: Int
        public var problems: [String]

        public var totalKills: Int { kills.values.reduce(0, +) }

        /// The one line a run prints.
        public var summary: String {
            let byKind = VictimKind.allCases.map { "\($0.rawValue) \(kills[$0] ?? 0)" }.joined(separator: ", ")
            return "cks-chaos: \(String(format: "%.0f", seconds)) s: \(totalKills) kills (\(byKind)), \(workflows) workflows, "
                + "\(commands) CLI commands, \(requests) KMS requests (\(succeeded) ok, \(refusedConnections) refused while the server restarted), "
                + "\(decrypted) ciphertexts decrypted afterwards, \(problems.count) problems"
        }
    }

    public func run() throws -> Outcome {
        let started = Date()
        let temporary = options.home == nil
        let home = options.home ?? FileManager.default.temporaryDirectory.appending(path: "cks-chaos-\(UUID().uuidString.prefix(12))")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { if temporary { try? FileManager.default.removeItem(at: home) } }
        let world = ChaosWorld(cks: options.cks, home: home)

        guard let seeded = try world.run(["list"]), seeded.exit.isSuccess else {
            throw HarnessError("cks list could not seed the world in \(home.path)")
        }
        let baseline = try WorldBaseline.read(world.file)
        let (stores, keys) = try world.file.read { db in
            (try world.file.stores(db), try world.file.keys(inStoresWithStates: Set(ConnectionState.allCases), db).map(\.keyId))
        }
        let credentials = try world.file.serverCredentials()
        let port = try Self.freePort()

        let ledger = ChaosLedger()
        let roster = Roster()
        let seconds = Double(options.duration.components.seconds) + Double(options.duration.components.attoseconds) / 1e18
        let deadline = Date().addingTimeInterval(seconds)
        let serve = ServeSupervisor(world: world, port: port, roster: roster, ledger: ledger, deadline: deadline)
        let client = KMSClient(port: port, credentials: AWSCredentials(accessKeyId: credentials.accessKeyId,
                                                                       secretAccessKey: credentials.secretAccessKey),
                               region: credentials.region)
        let seed = options.seed
        var workers: [WorkerThread] = []
        let serveThread = WorkerThread(name: "chaos-serve") { serve.run() }
        for index in 0..<options.cliWorkers {
            let worker = CLIWorker(world: world, stores: stores, roster: roster, ledger: ledger, seed: seed &+ UInt64(index) &* 1_000_003, deadline: deadline)
            workers.append(WorkerThread(name: "chaos-cli-\(index)") { worker.run() })
        }
        for index in 0..<options.kmsClients {
            var traffic = KMSTraffic(client: client, keys: keys, stores: stores, ledger: ledger, seed: seed &+ 7_919 &* UInt64(index + 1), deadline: deadline)
            traffic.pause = options.kmsPause
            let worker = traffic
            workers.append(WorkerThread(name: "chaos-kms-\(index)") { worker.run() })
        }
        if options.console && ConsoleSupervisor.isAvailable {
            let console = ConsoleSupervisor(world: world, roster: roster, ledger: ledger, seed: seed &+ 104_729, deadline: deadline,
                                            socket: "cks-chaos-\(getpid())-\(seed)")
            workers.append(WorkerThread(name: "chaos-console") { console.run() })
        }
        let killer = Killer(roster: roster, ledger: ledger, gap: options.killGap, seed: seed &+ 15_485_863, deadline: deadline)
        workers.append(WorkerThread(name: "chaos-killer") { killer.run() })

        // The workers stop at the deadline; a CLI command under way is let finish.
        for worker in workers where !worker.join(seconds: seconds + 180) {
            ledger.problem("a worker of the harness did not stop within 180 s of the deadline")
        }
        serve.stop()
        serveThread.join(seconds: 60)

        try settle(world)
        let checks = WorldChecks(world: world.file, baseline: baseline)
        var problems = ledger.problems
        problems += try checks.problems()
        let workflows = try checks.workflowsStarted()
        let (decrypted, decryptProblems) = try DecryptCheck(world: world, port: port, client: client).verify(ledger.encryptions)
        problems += decryptProblems
        if let integrity = try? world.file.read({ try String.fetchAll($0, sql: "PRAGMA integrity_check") }), integrity != ["ok"] {
            problems.append("integrity_check after the decrypt check: \(integrity.prefix(3))")
        }
        return Outcome(seconds: Date().timeIntervalSince(started), kills: ledger.kills, workflows: workflows,
                       commands: ledger.commands, requests: ledger.requests, succeeded: ledger.succeeded,
                       refusedConnections: ledger.refusedConnections, decrypted: decrypted, problems: problems)
    }

    /// Runs `cks list` (which catches up everything overdue) until no workflow is left, at most 120 s.
    func settle(_ world: ChaosWorld) throws {
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            _ = try world.run(["list"], pace: "demo", seconds: 60)
            let left = try world.file.read { db in
                try Int.fetchOne(db, sql: "SELECT (SELECT COUNT(*) FROM workflows) + (SELECT COUNT(*) FROM key_stores WHERE state IN ('CONNECTING', 'DISCONNECTING'))") ?? 0
            }
            if left == 0 { return }
            usleep(250_000)
        }
    }

    /// A loopback port nobody listens on now (the system's choice for port 0).
    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HarnessError("socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = in_addr_t(UInt32(0x7F00_0001).bigEndian)
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw HarnessError("cannot find a free port: \(String(cString: strerror(errno)))") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
