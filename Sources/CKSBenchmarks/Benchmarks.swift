import Foundation
import KeyStoreEngine
import Simulator

/// Prints the engine's figures: describe over 10 and 1,000 stores, one whole connect on the instant
/// pace, the wall time of `cks list --output json`, and memory. Run it in release:
/// `swift run -c release CKSBenchmarks`.
@main
struct Benchmarks {
    static func main() async throws {
        say("cks benchmarks (\(isDebugBuild ? "DEBUG build: figures are not representative" : "release build"))")
        say(String(repeating: "-", count: 78))
        if CommandLine.arguments.dropFirst().first == "xks-proxy" {
            try await XKSProxyFigures.run()
            return
        }
        if CommandLine.arguments.dropFirst().first == "bare-http" {
            try BareHTTPServer.run(arguments: Array(CommandLine.arguments.dropFirst(2)))
            return
        }
        if CommandLine.arguments.dropFirst().first == "xks-keys" {
            try await XKSKeyFigures.run()
            return
        }
        for count in [10, 1_000] {
            try await describe(storeCount: count)
        }
        try await connectWorkflow()
        try cliListWallTime()
        try await ServerHandlerFigures.run()
        try ConsoleFigures.run()
        try await XKSProxyFigures.run()
        try await XKSKeyFigures.run()
        say(pad("peak resident memory of this process") + String(format: "%10.1f MiB", peakResidentMiB()))
    }

    static func describe(storeCount: Int) async throws {
        let home = temporaryHome()
        defer { try? FileManager.default.removeItem(at: home) }
        let seedStart = ContinuousClock.now
        let service = try SimulatorService.open(home: home, pace: .instant, drive: false, seed: .synthetic(storeCount: storeCount))
        let seeded = ContinuousClock.now - seedStart
        _ = try await service.allKeyStores()
        let samples = try await measure(iterations: storeCount > 100 ? 50 : 500) {
            let stores = try await service.allKeyStores()
            precondition(stores.count == storeCount)
        }
        report("describe all \(storeCount) stores (every page)", samples)
        let onePage = try await measure(iterations: 500) {
            _ = try await service.describeKeyStores(DescribeKeyStoresRequest(limit: 10))
        }
        report("describe one page of 10 among \(storeCount)", onePage)
        say(pad("seed a world of \(storeCount) stores") + String(format: "%10.1f ms", milliseconds(seeded)))
    }

    static func connectWorkflow() async throws {
        let home = temporaryHome()
        defer { try? FileManager.default.removeItem(at: home) }
        let service = try SimulatorService.open(home: home, pace: .instant, drive: false, seed: .synthetic(storeCount: 1))
        guard let store = try await service.allKeyStores().first else { return }
        var connects: [Duration] = []
        var disconnects: [Duration] = []
        for _ in 0..<60 {
            let start = ContinuousClock.now
            try await service.connectKeyStore(id: store.id)
            let connected = try await service.keyStore(idOrName: store.id)
            precondition(connected.connectionState == .connected, "\(connected.connectionState) \(String(describing: connected.connectionErrorCode))")
            connects.append(ContinuousClock.now - start)
            let middle = ContinuousClock.now
            try await service.disconnectKeyStore(id: store.id)
            let disconnected = try await service.keyStore(idOrName: store.id)
            precondition(disconnected.connectionState == .disconnected)
            disconnects.append(ContinuousClock.now - middle)
        }
        report("whole connect workflow, instant pace (call → CONNECTED)", connects)
        report("whole disconnect workflow, instant pace", disconnects)
    }

    static func cliListWallTime() throws {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appending(path: "cks")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            say("cks binary not found beside the benchmark (\(binary.path)): build it with `swift build -c release`")
            return
        }
        let home = temporaryHome()
        defer { try? FileManager.default.removeItem(at: home) }
        var samples: [Duration] = []
        for index in 0..<21 {
            let process = Process()
            process.executableURL = binary
            process.arguments = ["list", "--output", "json"]
            var environment = ProcessInfo.processInfo.environment
            environment["CKS_HOME"] = home.path
            process.environment = environment
            process.standardOutput = FileHandle.nullDevice
            let start = ContinuousClock.now
            try process.run()
            process.waitUntilExit()
            if index > 0 { samples.append(ContinuousClock.now - start) }
        }
        report("`cks list --output json` wall time (demo world, 20 runs)", samples)
    }

    // MARK: Measuring

    static func measure(iterations: Int, _ body: () async throws -> Void) async throws -> [Duration] {
        var samples: [Duration] = []
        samples.reserveCapacity(iterations)
        for _ in 0..<iterations {
            let start = ContinuousClock.now
            try await body()
            samples.append(ContinuousClock.now - start)
        }
        return samples
    }

    static func report(_ name: String, _ samples: [Duration]) {
        let sorted = samples.sorted()
        let p50 = milliseconds(sorted[sorted.count / 2])
        let p99 = milliseconds(sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.99))])
        say(pad(name) + String(format: "p50 %8.3f ms  p99 %8.3f ms", p50, p99))
    }

    /// Prints a line at once, so that figures show while the run goes on (print is buffered into a pipe).
    static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func pad(_ name: String) -> String {
        name.count >= 60 ? name + " " : name.padding(toLength: 60, withPad: " ", startingAt: 0)
    }

    static func milliseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }

    static func temporaryHome() -> URL {
        FileManager.default.temporaryDirectory.appending(path: "cks-bench-\(UUID().uuidString)")
    }

    static func peakResidentMiB() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }

    static var isDebugBuild: Bool {
        #if DEBUG
        true
        #else
        false
        #endif
    }
}
