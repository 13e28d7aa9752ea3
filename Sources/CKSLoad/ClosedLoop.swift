import Foundation
import Synchronization

/// `clients` threads, each sending the request again as soon as its answer arrives, all starting together
/// and stopping at the same deadline.
struct ClosedLoop {
    let host: String
    let port: UInt16
    let request: [UInt8]
    let clients: Int
    let seconds: Double

    /// What one run measured.
    struct Measurement {
        var latencies: [Double]
        var errors: Int
        var wall: Double

        func jsonLine(server: String, operation: String, clients: Int) -> String {
            let sorted = latencies.sorted()
            /// Nearest rank: the smallest value with at least p % of the samples at or below it.
            func percentile(_ p: Double) -> Double {
                sorted[max(0, min(sorted.count - 1, Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1))] * 1000
            }
            var fields = ["\"server\": \"\(server)\"", "\"client\": \"native\"", "\"op\": \"\(operation)\"", "\"clients\": \(clients)",
                          "\"requests\": \(sorted.count)", "\"errors\": \(errors)", String(format: "\"wall_s\": %.3f", wall),
                          String(format: "\"rps\": %.1f", Double(sorted.count) / wall)]
            if !sorted.isEmpty {
                fields += [String(format: "\"p50_ms\": %.3f", percentile(50)), String(format: "\"p99_ms\": %.3f", percentile(99)),
                           String(format: "\"mean_ms\": %.3f", sorted.reduce(0, +) / Double(sorted.count) * 1000)]
            }
            return "{" + fields.joined(separator: ", ") + "}"
        }
    }

    func measure() -> Measurement {
        let results = Mutex<[(latencies: [Double], errors: Int)]>([])
        let group = DispatchGroup()
        let start = monotonicSeconds() + 0.3
        let deadline = start + seconds
        for _ in 0..<clients {
            group.enter()
            let thread = Thread { [host, port, request] in
                let outcome = Self.loop(host: host, port: port, request: request, start: start, deadline: deadline)
                results.withLock { $0.append(outcome) }
                group.leave()
            }
            thread.start()
        }
        group.wait()
        let all = results.withLock { $0 }
        return Measurement(latencies: all.flatMap(\.latencies), errors: all.reduce(0) { $0 + $1.errors },
                      wall: max(monotonicSeconds(), deadline) - start)
    }

    private static func loop(host: String, port: UInt16, request: [UInt8], start: Double, deadline: Double)
        -> (latencies: [Double], errors: Int) {
        var latencies: [Double] = []
        latencies.reserveCapacity(200_000)
        var errors = 0
        var connection = try? KeepAliveConnection(host: host, port: port)
        let wait = start - monotonicSeconds()
        if wait > 0 { usleep(UInt32(wait * 1_000_000)) }
        while true {
            let began = monotonicSeconds()
            guard began < deadline else { break }
            do {
                if connection == nil { connection = try KeepAliveConnection(host: host, port: port) }
                let answer = try connection!.exchange(request)
                if answer.status == 200 { latencies.append(monotonicSeconds() - began) } else { errors += 1 }
                if !connection!.isReusable { connection = nil }
            } catch {
                errors += 1
                connection = nil
            }
        }
        return (latencies, errors)
    }
}

func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}
