import CKSTestSupport
import Foundation

/// The server under abuse: started with a descriptor limit, its memory sampled while it runs.
final class ServerProbe: Sendable {
    let child: ChildProcess
    let port: Int
    let startRSS: Int
    private let peak: Locked<Int>
    private let sampling: Locked<Bool>
    private let sampler: WorkerThread

    /// Starts `cks serve` under `ulimit -n fileLimit` in `world`, waits for its banner (60 s at most).
    init(world: ChaosWorld, port: Int, fileLimit: Int) throws {
        child = try ChildProcess("/bin/sh", ["-c", "ulimit -n \(fileLimit) && exec \"$0\" \"$@\"", world.cks.path, "serve", "--port", "\(port)"],
                                 environment: world.environment(pace: "instant"), stopsWhenDropped: true, label: "cks serve (ulimit -n \(fileLimit))")
        self.port = port
        guard child.waitForOutput("Ctrl-C stops the server.", seconds: 60) else {
            throw HarnessError("cks serve did not start: \(child.stderrTail)")
        }
        let pid = child.pid
        let initial = Self.residentBytes(pid) ?? 0
        let (peak, sampling) = (Locked(initial), Locked(true))
        startRSS = initial
        self.peak = peak
        self.sampling = sampling
        sampler = WorkerThread(name: "abuse-rss") {
            let hardStop = Date().addingTimeInterval(7_200)
            while sampling.value && Date() < hardStop {
                if let rss = Self.residentBytes(pid) { peak.withLock { $0 = max($0, rss) } }
                usleep(50_000)
            }
        }
    }

    var peakRSS: Int { peak.value }

    func stopSampling() {
        sampling.withLock { $0 = false }
        sampler.join(seconds: 5)
    }

    /// VmRSS of a process, in bytes.
    static func residentBytes(_ pid: pid_t) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kib = Int(line.split(separator: " ").dropFirst().first ?? "") else { return nil }
        return kib * 1_024
    }
}
