import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a short program to its end, synchronously (usable outside async code, e.g. to decide a trait).
/// Standard output goes to a temporary file (or /dev/null), standard error to /dev/null: no pipe, so a daemon
/// the program starts (a tmux server) holds nothing the test waits on.
public enum Spawn {
    /// Runs the program with `environment` (the test process's by default); returns what it wrote on
    /// standard output (when `capture`).
    @discardableResult
    public static func run(_ path: String, _ arguments: [String], environment: [String: String]? = nil,
                           capture: Bool = true) throws -> String {
        try runWithStatus(path, arguments, environment: environment, capture: capture).output
    }

    /// How it ended and what it wrote on standard output (when `capture`).
    public static func runWithStatus(_ path: String, _ arguments: [String], environment: [String: String]? = nil,
                                     capture: Bool = true) throws -> (exit: ExitStatus, output: String) {
        let output = FileManager.default.temporaryDirectory.appending(path: "cks-spawn-\(UUID().uuidString).out").path
        defer { if capture { unlink(output) } }
        let pid = try PosixSpawn.spawn(path, arguments: [path] + arguments,
                                       environment: environment ?? ProcessInfo.processInfo.environment,
                                       stdout: capture ? .file(output) : .devNull, stderr: .devNull)
        let exit = PosixSpawn.wait(pid)
        let text = capture ? ((try? String(contentsOfFile: output, encoding: .utf8)) ?? "") : ""
        return (exit, text)
    }
}
