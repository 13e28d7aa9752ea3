// Running the built `cks` and other programs (aws, python3) from tests, with CKSTestSupport's ChildProcess:
// output collected on threads of their own, every run bounded (killed when the bound passes).

import CKSTestSupport
import Foundation
import Testing

/// The `cks` binary under test and the programs the end-to-end tests drive it with.
enum Tools {
    static let packageRoot = Executables.packageRoot

    /// `cks` beside the test bundle (`.build/<config>/`), else `.build/debug/cks` under the package root.
    static let cks: URL = Executables.cks

    static let aws = Executables.onPath("aws")
    static let python3 = Executables.onPath("python3")
    /// True when python3 can import boto3.
    static let hasBoto3 = Task { await Spawn.succeeds(python3, ["-c", "import boto3"]) }
}

/// What a finished program did.
struct ProcessResult: Sendable, CustomStringConvertible {
    var command: String
    var status: Int32
    var stdout: String
    var stderr: String
    var timedOut: Bool

    var description: String {
        "$ \(command)\n→ status \(status)\(timedOut ? " (timed out, killed)" : "")\n--- stdout ---\n\(stdout.prefix(4000))\n--- stderr ---\n\(stderr.prefix(3000))"
    }

    /// Standard output parsed as JSON.
    func json() throws -> JSONObject {
        guard let object = try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any] else {
            throw TestFailure("not a JSON object: \(self)")
        }
        return JSONObject(object)
    }
}

/// A parsed JSON object that can cross tasks.
struct JSONObject: @unchecked Sendable {
    var value: [String: Any]
    init(_ value: [String: Any]) { self.value = value }
    subscript(_ key: String) -> Any? { value[key] }
}

/// A started program whose output is being collected.
typealias RunningProcess = ChildProcess

extension ChildProcess {
    var hasExited: Bool { !isRunning }

    /// Waits for the exit and the end of the output, at most `bound`; SIGKILL when the bound passes. The status
    /// is the exit status, or the signal number when a signal ended it.
    func result(bound: Duration = .testWaitBound) async throws -> ProcessResult {
        let outcome = try await finish(bound: bound)
        return ProcessResult(command: command, status: outcome.exit.code, stdout: outcome.stdout, stderr: outcome.stderr,
                             timedOut: outcome.timedOut)
    }
}

enum Processes {
    /// Starts a program with exactly `environment`, standard input /dev/null.
    static func start(_ executable: String, _ arguments: [String], environment: [String: String]) throws -> RunningProcess {
        let command = ([URL(fileURLWithPath: executable).lastPathComponent] + arguments).joined(separator: " ")
        return try ChildProcess(executable, arguments, environment: environment, label: command)
    }

    static func run(_ executable: String, _ arguments: [String], environment: [String: String],
                    bound: Duration = .testWaitBound) async throws -> ProcessResult {
        try await start(executable, arguments, environment: environment).result(bound: bound)
    }
}
