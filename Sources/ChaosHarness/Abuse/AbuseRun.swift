import CKSTestSupport
import Foundation
import GRDB
import SigV4

/// `cks serve` under abuse: hostile requests of every `HostileKind`, slow clients, then more connections than
/// its descriptors allow, while well-behaved clients keep calling it. The server must answer every hostile
/// request with the right KMS JSON error (or close the connection where that is right), never crash, keep
/// its memory bounded, and serve again once the flood is gone.
public struct AbuseRun: Sendable {
    public let options: AbuseOptions

    public init(options: AbuseOptions) {
        self.options = options
    }

    /// What a run found.
    public struct Outcome: Sendable {
        public var hostile: Int
        public var answered: Int
        public var closed: Int
        public var slowClients: Int
        /// The longest a slow client was kept before the server closed it, in seconds.
        public var slowestClose: Double
        public var flood: Int
        public var floodRefused: Int
        public var floodClosed: Int
        public var goodRequests: Int
        public var goodSucceeded: Int
        public var goodP50: Double
        public var goodP99: Double
        public var startRSS: Int
        public var peakRSS: Int
        public var fileLimit: Int
        public var problems: [String]

        public var summary: String {
            let rate = goodRequests == 0 ? 0 : 100 * Double(goodSucceeded) / Double(goodRequests)
            return "cks-chaos abuse: \(hostile) hostile requests (\(answered) answered with a KMS JSON error, \(closed) closed); "
                + "\(slowClients) slow clients closed within \(String(format: "%.1f", slowestClose)) s; "
                + "\(flood) idle connections at once against ulimit -n \(fileLimit): \(floodClosed) closed to make room, \(floodRefused) refused with 503; "
                + "good clients \(String(format: "%.2f", rate))% of \(goodRequests) ok, p50 \(String(format: "%.2f", goodP50 * 1000)) ms, p99 \(String(format: "%.2f", goodP99 * 1000)) ms; "
                + "memory \(startRSS >> 20) MiB at start, peak \(peakRSS >> 20) MiB; \(problems.count) problems"
        }
    }

    public func run() throws -> Outcome {
        let home = FileManager.default.temporaryDirectory.appending(path: "cks-abuse-\(UUID().uuidString.prefix(12))")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        let world = ChaosWorld(cks: options.cks, home: home)
        guard let seeded = try world.run(["list"]), seeded.exit.isSuccess else { throw HarnessError("cks list could not seed the world") }
        let credentials = try world.file.serverCredentials()
        guard let keyId = try world.file.read({ try world.file.keys(inStoresWithStates: [.connected], $0).first?.keyId }) else {
            throw HarnessError("the demo world has no enabled key in a connected store")
        }
        let port = try ChaosRun.freePort()
        let server = try ServerProbe(world: world, port: port, fileLimit: options.serverFileLimit)
        let client = KMSClient(port: port, credentials: AWSCredentials(accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey),
                               region: credentials.region)
        let problems = Locked<[String]>([])
        let good = GoodClients(count: options.goodClients, client: client, keyId: keyId, pause: options.goodClientPause)

        let slow = SlowClients(count: options.slowClients, request: client.request("DescribeCustomKeyStores", [:]), port: port)
        let (answered, closed) = hostileRequests(client: client, problems: problems)
        let slowestClose = slow.finish(problems: problems)
        let flooded = flood(port: port, problems: problems)

        // Once the flood is gone, a good request must succeed again (within 30 s: NIO backs off accepting for a
        // second after running out of descriptors).
        let recovered = (0..<300).contains { _ in
            if (try? client.call("DescribeCustomKeyStores", [:]))?.status == 200 { return true }
            usleep(100_000)
            return false
        }
        if !recovered { problems.withLock { $0.append("cks serve did not answer a good request within 30 s of the flood's end") } }
        good.stop()
        server.stopSampling()
        if !server.child.isRunning {
            problems.withLock { $0.append("cks serve died: \(server.child.exit.map { "\($0.bySignal ? "signal" : "status") \($0.code)" } ?? "?"): \(server.child.stderrTail)") }
        } else {
            server.child.send(SIGTERM)
            if let exit = server.child.waitForEnd(seconds: 30), !exit.isSuccess {
                problems.withLock { $0.append("cks serve exited \(exit.code) on SIGTERM: \(server.child.stderrTail)") }
            }
        }
        let figures = good.figures
        return Outcome(hostile: options.requests, answered: answered, closed: closed, slowClients: options.slowClients,
                       slowestClose: slowestClose, flood: flooded.opened, floodRefused: flooded.refused, floodClosed: flooded.closed,
                       goodRequests: figures.requests, goodSucceeded: figures.succeeded, goodP50: figures.p50, goodP99: figures.p99,
                       startRSS: server.startRSS, peakRSS: server.peakRSS, fileLimit: options.serverFileLimit, problems: problems.value)
    }

    /// Sends the hostile requests from several threads; returns how many were answered and how many closed.
    private func hostileRequests(client: KMSClient, problems: Locked<[String]>) -> (answered: Int, closed: Int) {
        let next = Locked(0)
        let counts = Locked(Counts())
        let total = options.requests
        let kinds = HostileKind.allCases
        let threads = (0..<options.hostileThreads).map { index in
            let seed = options.seed &+ UInt64(index) &* 6_700_417
            return WorkerThread(name: "abuse-hostile-\(index)") {
                var generator = SeededGenerator(seed: seed)
                while true {
                    let number = next.withLock { value -> Int in
                        defer { value += 1 }
                        return value
                    }
                    guard number < total else { return }
                    let kind = kinds[number % kinds.count]
                    let bytes = kind.bytes(client: client, using: &generator)
                    do {
                        let socket = try LoopbackSocket(port: client.port, timeout: 30)
                        do {
                            try socket.send(bytes)
                        } catch {
                            // The server refused before reading everything: its answer may still be there.
                            guard kind.mayClose else { throw error }
                        }
                        let answer = try socket.receiveAnswer()
                        counts.withLock { $0.answered += 1 }
                        if let problem = kind.judge(answer) { problems.withLock { $0.append(problem) } }
                    } catch {
                        counts.withLock { $0.closed += 1 }
                        if !kind.mayClose { problems.withLock { $0.append("\(kind.rawValue): \(error)") } }
                    }
                }
            }
        }
        for thread in threads where !thread.join(seconds: 1_800) {
            problems.withLock { $0.append("the hostile requests did not end within 30 minutes") }
        }
        return counts.withLock { ($0.answered, $0.closed) }
    }

    private struct Counts: Sendable {
        var answered = 0
        var closed = 0
    }

    /// What became of the flooding connections.
    struct FloodResult: Sendable {
        var opened = 0
        /// Answered 503 ThrottlingException at once (every connection was busy).
        var refused = 0
        /// Closed by the server to make room for newer ones (they were idle).
        var closed = 0
    }

    /// Opens `floodConnections` connections at once and holds them for `floodSeconds`.
    private func flood(port: Int, problems: Locked<[String]>) -> FloodResult {
        var result = FloodResult()
        var sockets: [LoopbackSocket] = []
        for _ in 0..<options.floodConnections {
            guard let socket = try? LoopbackSocket(port: port, timeout: 0.2) else { continue }
            sockets.append(socket)
        }
        result.opened = sockets.count
        usleep(UInt32(options.floodSeconds * 1_000_000))
        for socket in sockets {
            socket.setTimeout(0.005)
            do {
                let bytes = try socket.receive()
                if bytes.isEmpty {
                    result.closed += 1
                } else if let answer = HTTPAnswer.parse(bytes, atEnd: true), answer.status == 503, answer.errorType == "ThrottlingException" {
                    result.refused += 1
                } else {
                    problems.withLock { $0.append("a flooding connection got \(String(decoding: bytes.prefix(200), as: UTF8.self))") }
                }
            } catch LoopbackSocket.Failure.timedOut {
                continue
            } catch {
                result.closed += 1
            }
        }
        return result
    }
}

/// Clients that send a valid request one byte a second: the server must close each within its request
/// timeout (20 s) plus a margin, answering 408 or closing.
final class SlowClients: Sendable {
    private let threads: [WorkerThread]
    private let closedAfter: Locked<[Double]>
    private let failures: Locked<[String]>

    init(count: Int, request: [UInt8], port: Int) {
        let (closedAfter, failures) = (Locked<[Double]>([]), Locked<[String]>([]))
        self.closedAfter = closedAfter
        self.failures = failures
        threads = (0..<count).map { index in
            WorkerThread(name: "abuse-slow-\(index)") {
                let started = Date()
                guard let socket = try? LoopbackSocket(port: port, timeout: 1) else {
                    failures.withLock { $0.append("slow client \(index) could not connect") }
                    return
                }
                for byte in request {
                    if Date().timeIntervalSince(started) > 60 {
                        failures.withLock { $0.append("slow client \(index) was still connected after 60 s") }
                        return
                    }
                    do {
                        try socket.send([byte])
                        // Waits a second for the server to answer or close; either ends this client.
                        _ = try socket.receive()
                        break
                    } catch LoopbackSocket.Failure.timedOut {
                        continue
                    } catch {
                        break
                    }
                }
                closedAfter.withLock { $0.append(Date().timeIntervalSince(started)) }
            }
        }
    }

    /// Waits for every slow client; returns the longest any was kept open, adding any failure to `problems`.
    func finish(problems: Locked<[String]>) -> Double {
        for thread in threads where !thread.join(seconds: 120) {
            problems.withLock { $0.append("a slow client did not end within 120 s") }
        }
        let found = failures.value
        problems.withLock { $0 += found }
        return closedAfter.withLock { $0.max() ?? 0 }
    }
}
