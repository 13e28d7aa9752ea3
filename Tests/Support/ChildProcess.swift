import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A started process (posix_spawn, see `PosixSpawn`) whose standard output and error are collected on
/// threads of their own and whose exit a thread of its own reaps with waitpid. Every wait is bounded.
public final class ChildProcess: Sendable {
    /// What a finished process did.
    public struct Outcome: Sendable {
        public var exit: ExitStatus
        public var stdout: String
        public var stderr: String
        /// The bound passed and the process was killed (SIGKILL).
        public var timedOut: Bool
    }

    /// The process did not end even after SIGKILL.
    public struct StillRunning: Error, CustomStringConvertible {
        public var description: String
    }

    /// A shell that runs the command and ends it when the test process has gone (a killed test run leaves no
    /// server behind) or when the shell itself is told to stop.
    private static let watchdog = """
        "$@" & child=$!
        trap 'kill $child 2>/dev/null; exit 143' TERM INT
        while kill -0 $PPID 2>/dev/null && kill -0 $child 2>/dev/null; do sleep 0.2; done
        kill $child 2>/dev/null
        wait $child
        """

    public let command: String
    public let pid: pid_t
    public let standardOutput: OutputCollector
    public let standardError: OutputCollector
    private let exitStatus = ExitRecord()
    private let stopsWhenDropped: Bool

    /// Starts `executable` with exactly `environment`. Standard input is /dev/null or `stdinFile`; standard
    /// output is a pipe, or a pseudo-terminal when `terminal`; standard error is a pipe. `watched` runs it under
    /// a watchdog shell (for servers that must not outlive the test run); `stopsWhenDropped` sends SIGTERM, then
    /// SIGKILL, when the value goes; `normalizingLineEndings` turns \r\n into \n in the collected text. `label`
    /// is the command shown in messages.
    public init(
        _ executable: String, _ arguments: [String], environment: [String: String],
        stdinFile: String? = nil, terminal: Bool = false, watched: Bool = false, stopsWhenDropped: Bool = false,
        normalizingLineEndings: Bool = false, label: String? = nil
    ) throws {
        command = label ?? ([executable] + arguments).joined(separator: " ")
        self.stopsWhenDropped = stopsWhenDropped
        let path = watched ? "/bin/sh" : executable
        let argv = watched ? ["sh", "-c", Self.watchdog, "sh", executable] + arguments : [executable] + arguments
        let out = try terminal ? Descriptors.terminal() : Descriptors.pipe()
        let err: (read: Int32, write: Int32)
        do { err = try Descriptors.pipe() } catch {
            close(out.read)
            close(out.write)
            throw error
        }
        let spawned: pid_t
        do {
            spawned = try PosixSpawn.spawn(path, arguments: argv, environment: environment,
                                           stdin: stdinFile.map { .file($0) } ?? .devNull,
                                           stdout: .descriptor(out.write), stderr: .descriptor(err.write))
        } catch {
            for fd in [out.read, out.write, err.read, err.write] { close(fd) }
            throw error
        }
        // Only the child writes now: the collectors see end of file when it (and any child of it) is gone.
        close(out.write)
        close(err.write)
        pid = spawned
        standardOutput = OutputCollector(fileDescriptor: out.read, normalizingLineEndings: normalizingLineEndings)
        standardError = OutputCollector(fileDescriptor: err.read, normalizingLineEndings: normalizingLineEndings)
        // The reaper holds the record, not the process, so that dropping the process still stops it.
        let reaper = Thread { [exitStatus] in
            let status = PosixSpawn.wait(spawned)
            exitStatus.value.withLock { $0 = status }
        }
        reaper.start()
    }

    deinit {
        guard stopsWhenDropped, isRunning else { return }
        kill(pid, SIGTERM)
        awaitExit(seconds: 3)
        if isRunning {
            kill(pid, SIGKILL)
            awaitExit(seconds: 5)
        }
    }

    public var stdout: String { standardOutput.text }
    public var stderr: String { standardError.text }

    /// How it ended, once it has exited (and been reaped).
    public var exit: ExitStatus? { exitStatus.value.withLock { $0 } }
    public var isRunning: Bool { exit == nil }

    /// Sends `signal` unless the process has exited.
    public func send(_ signal: Int32) {
        if isRunning { _ = kill(pid, signal) }
    }

    private var hasEnded: Bool { !isRunning && standardOutput.isFinished && standardError.isFinished }

    private func awaitExit(seconds: Double) {
        let deadline = Date().addingTimeInterval(seconds)
        while isRunning && Date() < deadline { usleep(5_000) }
    }

    /// Waits for the exit and the end of the output, at most `bound`. When the bound passes: SIGKILL, a wait
    /// for the exit (at most 15 s, else `StillRunning`) and for the output (at most 5 s more; a grandchild may
    /// hold it), then the outcome with `timedOut`.
    public func finish(bound: Duration = .seconds(60)) async throws -> Outcome {
        let clock = ContinuousClock()
        var deadline = clock.now.advanced(by: bound)
        var timedOut = false
        while !hasEnded {
            if clock.now >= deadline {
                if timedOut { break }  // the output is still open 5 s after the kill
                timedOut = true
                send(SIGKILL)
                deadline = clock.now.advanced(by: .seconds(15))
                while isRunning {
                    if clock.now >= deadline { throw StillRunning(description: "\(command) still runs after SIGKILL") }
                    try await Task.sleep(for: .milliseconds(5))
                }
                deadline = clock.now.advanced(by: .seconds(5))
                continue
            }
            try await Task.sleep(for: .milliseconds(5))
        }
        return Outcome(exit: exit!, stdout: stdout, stderr: stderr, timedOut: timedOut)
    }

    /// SIGTERM, then SIGKILL if it has not gone within five seconds.
    public func stop() async {
        guard isRunning else { return }
        kill(pid, SIGTERM)
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(5))
        while isRunning && clock.now < deadline { try? await Task.sleep(for: .milliseconds(10)) }
        if isRunning {
            kill(pid, SIGKILL)
            awaitExit(seconds: 5)
        }
    }
}

/// How a child ended, set by its reaper thread.
private final class ExitRecord: Sendable {
    let value = Mutex<ExitStatus?>(nil)
}
