import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a short program to its end. Standard output goes to a temporary file (or /dev/null), standard error to
/// /dev/null: no pipe, so a daemon the program starts (a tmux server) holds nothing the test waits on. The
/// exit is awaited off the cooperative pool (`ProcessExit`).
public enum Spawn {
    /// Runs the program with `environment` (the test process's by default); returns what it wrote on
    /// standard output (when `capture`).
    @discardableResult
    public static func run(_ path: String, _ arguments: [String], environment: [String: String]? = nil,
                           capture: Bool = true, bound: Duration = .testWaitBound) async throws -> String {
        try await runWithStatus(path, arguments, environment: environment, capture: capture, bound: bound).output
    }

    /// How it ended and what it wrote on standard output (when `capture`). When `bound` passes it is killed
    /// (SIGKILL) and `WaitTimedOut` thrown.
    public static func runWithStatus(_ path: String, _ arguments: [String], environment: [String: String]? = nil,
                                     capture: Bool = true, bound: Duration = .testWaitBound) async throws -> (exit: ExitStatus, output: String) {
        let output = FileManager.default.temporaryDirectory.appending(path: "cks-spawn-\(UUID().uuidString).out").path
        defer { if capture { unlink(output) } }
        let pid = try PosixSpawn.spawn(path, arguments: [path] + arguments,
                                       environment: environment ?? ProcessInfo.processInfo.environment,
                                       stdout: capture ? .file(output) : .devNull, stderr: .devNull)
        let reaper = ProcessExit(reaping: pid)
        guard let exit = await reaper.wait(bound: bound) else {
            kill(pid, SIGKILL)
            throw WaitTimedOut(what: "\(path) \(arguments.joined(separator: " ")) to end", bound: bound)
        }
        let text = capture ? ((try? String(contentsOfFile: output, encoding: .utf8)) ?? "") : ""
        return (exit, text)
    }

    /// Starts the program and leaves it (a thread reaps it): for clean-ups that cannot wait.
    public static func start(_ path: String, _ arguments: [String]) {
        if let pid = try? PosixSpawn.spawn(path, arguments: [path] + arguments, environment: ProcessInfo.processInfo.environment,
                                           stdout: .devNull, stderr: .devNull) {
            _ = ProcessExit(reaping: pid)
        }
    }

    /// True when the program runs and exits with status 0 (to decide whether a suite can run).
    public static func succeeds(_ path: String?, _ arguments: [String]) async -> Bool {
        guard let path else { return false }
        return (try? await runWithStatus(path, arguments, capture: false).exit.isSuccess) == true
    }
}
