// Child processes for the integration tests (moto_server, cks serve, cks itself), with CKSTestSupport's
// ChildProcess: every wait bounded, and the process killed when the test drops it.

import CKSTestSupport
import Foundation

/// What a finished command did.
struct CommandResult: Sendable, CustomStringConvertible {
    var command: String
    var status: Int32
    var stdout: String
    var stderr: String

    var description: String {
        "$ \(command)\n→ exit \(status)\n--- stdout ---\n\(stdout.prefix(4000))\n--- stderr ---\n\(stderr.prefix(2000))"
    }
}

extension ChildProcess {
    /// Waits for the exit and the end of the output, at most `bound`; kills the process and throws when the
    /// bound passes.
    func result(bound: Duration = .testWaitBound) async throws -> CommandResult {
        let outcome = try await finish(bound: bound)
        if outcome.timedOut {
            throw TimedOut(what: "\(command) to finish within \(bound): \(outcome.stdout.suffix(500)) \(outcome.stderr.suffix(500))")
        }
        return CommandResult(command: command, status: outcome.exit.shellStatus, stdout: outcome.stdout, stderr: outcome.stderr)
    }

    /// Runs a command to its end, at most `bound`.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String],
                    bound: Duration = .testWaitBound) async throws -> CommandResult {
        try await ChildProcess(executable, arguments, environment: environment, stopsWhenDropped: true).result(bound: bound)
    }
}
