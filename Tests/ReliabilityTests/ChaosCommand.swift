import CKSTestSupport
import Foundation

/// Runs `cks-chaos` (built next to cks) as a process of its own, so that the hundreds of processes a run starts
/// are children of it, not of the test process (whose other tests' open files they would otherwise inherit).
enum ChaosCommand {
    static let executable = Executables.cks.deletingLastPathComponent().appending(path: "cks-chaos")

    /// The exit status and output of `cks-chaos arguments --cks <cks>`, killed after `seconds`.
    static func run(_ arguments: [String], seconds: Double = 600) async throws -> (exit: CKSTestSupport.ExitStatus?, output: String) {
        let child = try ChildProcess(executable.path, arguments + ["--cks", Executables.cks.path],
                                     environment: ProcessInfo.processInfo.environment, stopsWhenDropped: true)
        let outcome = try await child.finish(bound: .seconds(seconds))
        return (outcome.timedOut ? nil : outcome.exit, outcome.stdout + outcome.stderr)
    }

    /// The number just before `label` in a summary line ("491 kills" → 491).
    static func number(before label: String, in text: String) -> Int? {
        guard let range = text.range(of: " " + label) else { return nil }
        let digits = text[..<range.lowerBound].reversed().prefix { $0.isNumber }
        return Int(String(digits.reversed()))
    }
}
