import ChildProcesses
import Foundation

/// A finished child process: its status and what it wrote.
struct ProcessResult: Sendable {
    var status: Int32
    var stdout: Data
    var stderr: String

    /// What a program may write on each of standard output and error; a credential process writes a few
    /// hundred bytes.
    static let outputLimit = 1 << 20

    /// The program wrote more than `outputLimit` bytes.
    struct OutputTooLong: Error, CustomStringConvertible {
        var description: String { "it wrote more than \(ProcessResult.outputLimit) bytes" }
    }

    /// Runs `executable` to its end (ChildProcesses: posix_spawn, waited for off the cooperative pool).
    /// Standard input is inherited (a credential process may prompt, as with the aws CLI); signals start
    /// unblocked with default handling, so Ctrl-C reaches it; no other descriptor of ours is inherited.
    /// Cancelling the task stops the program (SIGTERM, then SIGKILL).
    static func run(_ executable: String, _ arguments: [String], environment: [String: String]) async throws -> ProcessResult {
        let child = try ChildProcess(executable, arguments, environment: environment, input: .inherited, outputLimit: outputLimit)
        let outcome = try await child.finish(bound: nil)
        guard !child.standardOutput.exceededLimit, !child.standardError.exceededLimit else { throw OutputTooLong() }
        return ProcessResult(status: outcome.exit.shellStatus, stdout: child.standardOutput.data, stderr: outcome.stderr)
    }
}
