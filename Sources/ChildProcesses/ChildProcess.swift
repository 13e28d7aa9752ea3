import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A started process (posix_spawn, see `PosixSpawn`) whose standard output and error are collected on
/// threads of their own and whose exit a thread of its own reaps. Waiting for it never holds a thread of the
/// cooperative pool.
public final class ChildProcess: Sendable {
    /// What a finished process did.
    public struct Outcome: Sendable {
        public var exit: ExitStatus
        public var stdout: String
        public var stderr: String
        /// The bound passed and the process was killed (SIGKILL), or its output stayed open past the bound.
        public var timedOut: Bool
    }

    /// The process did not end even after SIGKILL.
    public struct StillRunning: Error, CustomStringConvertible {
        public var description: String
    }

    /// Where standard input comes from.
    public enum Input: Sendable {
        case devNull
        /// A file, read from its start.
        case file(String)
        /// Ours (a credential process may prompt on the terminal).
        case inherited
    }

    /// A shell that runs the command and ends it when this process has gone (a killed test run leaves no
    /// server behind) or when the shell itself is told to stop.
    private static let watchdog = """
        "$@" & child=$!
        trap 'kill $child 2>/dev/null; exit 143' TERM INT
        while kill -0 $PPID 2>/dev/null && kill -0 $child 2>/dev/null; do sleep 0.2; done
        kill $child 2>/dev/null
        wait $child
        """

    public let command: String
    public let standardOutput: OutputCollector
    public let standardError: OutputCollector
    private let reaper: ProcessExit
    private let stopsWhenDropped: Bool

    /// Starts `executable` with exactly `environment`. Standard output is a pipe, or a pseudo-terminal when
    /// `terminal`; standard error is a pipe; each keeps at most `outputLimit` bytes. `watched` runs it under a
    /// watchdog shell (for servers that must not outlive this process); `stopsWhenDropped` sends SIGTERM, then
    /// SIGKILL, when the value goes; `normalizingLineEndings` turns \r\n into \n in the collected text. `label`
    /// is the command shown in messages.
    public init(
        _ executable: String, _ arguments: [String], environment: [String: String],
        input: Input = .devNull, terminal: Bool = false, watched: Bool = false, stopsWhenDropped: Bool = false,
        normalizingLineEndings: Bool = false, outputLimit: Int? = nil, label: String? = nil
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
        let stdin: PosixSpawn.Stream = switch input {
        case .devNull: .devNull
        case .file(let file): .file(file)
        case .inherited: .inherited
        }
        let spawned: pid_t
        do {
            spawned = try PosixSpawn.spawn(path, arguments: argv, environment: environment, stdin: stdin,
                                           stdout: .descriptor(out.write), stderr: .descriptor(err.write))
        } catch {
            for fd in [out.read, out.write, err.read, err.write] { close(fd) }
            throw error
        }
        // Only the child writes now: the collectors see end of file when it (and any child of it) is gone.
        close(out.write)
        close(err.write)
        standardOutput = OutputCollector(fileDescriptor: out.read, normalizingLineEndings: normalizingLineEndings, limit: outputLimit)
        standardError = OutputCollector(fileDescriptor: err.read, normalizingLineEndings: normalizingLineEndings, limit: outputLimit)
        // The reaper holds its own record, not this value, so that dropping the value still stops the process.
        reaper = ProcessExit(reaping: spawned)
    }

    deinit {
        guard stopsWhenDropped, isRunning else { return }
        kill(pid, SIGTERM)
        let (pid, reaper) = (pid, reaper)
        // Not on the dropping thread, which may belong to the cooperative pool.
        Thread {
            if !reaper.waitBlocking(seconds: 3) { kill(pid, SIGKILL) }
        }.start()
    }

    public var pid: pid_t { reaper.pid }
    public var stdout: String { standardOutput.text }
    public var stderr: String { standardError.text }

    /// How it ended, once it has exited (and been reaped).
    public var exit: ExitStatus? { reaper.status }
    public var isRunning: Bool { exit == nil }

    /// Sends `signal` unless the process has exited.
    public func send(_ signal: Int32) {
        if isRunning { _ = kill(pid, signal) }
    }

    /// Waits for the exit and the end of the output. With a `bound`: when it passes, SIGKILL, a wait for the
    /// exit (at most 15 s, else `StillRunning`) and for the output (at most 5 s more; a grandchild may hold it),
    /// then the outcome with `timedOut`. Without one: as long as it runs, and then the output gets 5 s to end;
    /// if the task is cancelled, the process is stopped (`stop()`) and `CancellationError` thrown.
    public func finish(bound: Duration? = .seconds(60)) async throws -> Outcome {
        let clock = ContinuousClock()
        let start = clock.now
        var timedOut = false
        if let bound {
            if await reaper.wait(bound: bound) == nil {
                timedOut = true
                send(SIGKILL)
                guard await reaper.wait(bound: .seconds(15)) != nil else {
                    throw StillRunning(description: "\(command) still runs after SIGKILL")
                }
            }
        } else if await reaper.wait() == nil {
            await Task { await self.stop() }.value  // a task of its own: this one is cancelled, its waits would not wait
            throw CancellationError()
        }
        let outputBound: Duration = if let bound, !timedOut { max(bound - (clock.now - start), .zero) } else { .seconds(5) }
        if await !outputEnded(within: outputBound), bound != nil, !timedOut {
            timedOut = true  // the output is still open when the bound passes: 5 s more for it
            _ = await outputEnded(within: .seconds(5))
        }
        return Outcome(exit: exit!, stdout: stdout, stderr: stderr, timedOut: timedOut)
    }

    private func outputEnded(within bound: Duration) async -> Bool {
        async let out = standardOutput.finished(within: bound)
        async let err = standardError.finished(within: bound)
        let (outEnded, errEnded) = await (out, err)
        return outEnded && errEnded
    }

    /// SIGTERM, then SIGKILL if it has not gone within five seconds.
    public func stop() async {
        guard isRunning else { return }
        kill(pid, SIGTERM)
        if await reaper.wait(bound: .seconds(5)) == nil {
            kill(pid, SIGKILL)
            _ = await reaper.wait(bound: .seconds(5))
        }
    }
}
