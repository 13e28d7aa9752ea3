import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The exit of a started process: a thread of its own blocks in waitpid and reaps it, so waiting for it never
/// holds a thread of the cooperative pool.
public final class ProcessExit: Sendable {
    public let pid: pid_t
    private let record = ExitRecord()
    private let latch = Latch()

    /// Starts reaping `pid` (a child of this process that nobody else waits for).
    public init(reaping pid: pid_t) {
        self.pid = pid
        let thread = Thread { [record, latch] in
            let status = PosixSpawn.wait(pid)
            record.value.withLock { $0 = status }
            latch.set()
        }
        thread.start()
    }

    /// How it ended, once it has exited (and been reaped).
    public var status: ExitStatus? { record.value.withLock { $0 } }

    /// Waits for the exit; nil when the task is cancelled first.
    public func wait() async -> ExitStatus? {
        await latch.wait()
        return status
    }

    /// Waits for the exit at most `bound`; nil when the bound passes first.
    public func wait(bound: Duration) async -> ExitStatus? {
        await latch.wait(bound: bound) ? status : nil
    }

    /// For a thread of its own (never the cooperative pool): polls for the exit at most `seconds`.
    func waitBlocking(seconds: Double) -> Bool {
        let deadline = ContinuousClock.now.advanced(by: .seconds(seconds))
        while !latch.isSet && ContinuousClock.now < deadline { usleep(10_000) }
        return latch.isSet
    }
}

/// How a child ended, set by its reaper thread.
private final class ExitRecord: Sendable {
    let value = Mutex<ExitStatus?>(nil)
}
