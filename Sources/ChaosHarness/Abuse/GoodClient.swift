import CKSTestSupport
import Foundation

/// Well-behaved clients during the abuse: signed Encrypt and DescribeCustomKeyStores, one connection each,
/// their latency and success recorded (a 503 over the connection limit or a refused connection is a failure).
final class GoodClients: Sendable {
    struct Sample: Sendable {
        var seconds: Double
        var ok: Bool
    }

    private let samples: Locked<[Sample]>
    private let running: Locked<Bool>
    private let threads: [WorkerThread]

    init(count: Int, client: KMSClient, keyId: String, pause: Double) {
        let (samples, running) = (Locked<[Sample]>([]), Locked(true))
        self.samples = samples
        self.running = running
        threads = (0..<count).map { index in
            WorkerThread(name: "abuse-good-\(index)") {
                var toggle = index % 2 == 0
                let hardStop = Date().addingTimeInterval(7_200)
                while running.value && Date() < hardStop {
                    toggle.toggle()
                    let started = ContinuousClock.now
                    let answer = try? toggle
                        ? client.call("Encrypt", ["KeyId": keyId, "Plaintext": "aGVsbG8="])
                        : client.call("DescribeCustomKeyStores", [:])
                    let elapsed = ContinuousClock.now - started
                    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                    samples.withLock { $0.append(Sample(seconds: seconds, ok: answer?.status == 200)) }
                    if answer == nil { usleep(10_000) }
                    if pause > 0 { usleep(UInt32(pause * 1_000_000)) }
                }
            }
        }
    }

    func stop() {
        running.withLock { $0 = false }
        for thread in threads { thread.join(seconds: 30) }
    }

    /// Requests so far, how many succeeded, and the p50 and p99 latency of the successful ones (seconds).
    var figures: (requests: Int, succeeded: Int, p50: Double, p99: Double) {
        let all = samples.value
        let times = all.filter(\.ok).map(\.seconds).sorted()
        func percentile(_ p: Double) -> Double { times.isEmpty ? 0 : times[min(times.count - 1, Int(Double(times.count) * p))] }
        return (all.count, times.count, percentile(0.5), percentile(0.99))
    }
}
