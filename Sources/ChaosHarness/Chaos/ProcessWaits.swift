import CKSTestSupport
import Foundation

/// Synchronous waits on a `ChildProcess`, for the harness's worker threads (never Swift's shared task pool,
/// which blocking calls would starve on a small machine). Every wait has a bound.
extension ChildProcess {
    /// Waits for the exit and the end of both outputs, at most `seconds`; nil when the bound passed.
    func waitForEnd(seconds: Double) -> ExitStatus? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let exit, standardOutput.isFinished, standardError.isFinished { return exit }
            usleep(10_000)
        }
        return nil
    }

    /// Waits until standard output contains `text` or the process ends, at most `seconds`.
    func waitForOutput(_ text: String, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if stdout.contains(text) { return true }
            if !isRunning { return stdout.contains(text) }
            usleep(10_000)
        }
        return false
    }

    /// The last lines of standard error, for a problem report.
    var stderrTail: String {
        stderr.split(separator: "\n").suffix(3).joined(separator: " / ")
    }
}

/// A thread that runs a body once; `join` waits for it with a bound.
final class WorkerThread: Sendable {
    private let done = DispatchSemaphore(value: 0)

    init(name: String, _ body: @escaping @Sendable () -> Void) {
        let done = self.done
        let thread = Thread {
            body()
            done.signal()
        }
        thread.name = name
        thread.start()
    }

    /// True when the body ended within `seconds`.
    @discardableResult
    func join(seconds: Double) -> Bool {
        done.wait(timeout: .now() + seconds) == .success
    }
}
