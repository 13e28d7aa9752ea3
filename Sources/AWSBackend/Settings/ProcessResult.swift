import Foundation
import Synchronization

/// A finished child process: its status and what it wrote.
struct ProcessResult: Sendable {
    var status: Int32
    var stdout: Data
    var stderr: String

    /// Runs `executable` with `arguments` and `environment` off the cooperative pool; standard input is inherited
    /// (a credential process may prompt, as with the aws CLI).
    static func run(_ executable: String, _ arguments: [String], environment: [String: String]) async throws -> ProcessResult {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                do {
                    continuation.resume(returning: try runBlocking(executable, arguments, environment: environment))
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    private static func runBlocking(_ executable: String, _ arguments: [String], environment: [String: String]) throws -> ProcessResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read standard error on another thread so that neither pipe can fill up and block the child.
        let errorText = ErrorTextBox()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errorText.set(err.fileHandleForReading.readDataToEndOfFile())
            group.leave()
        }
        let output = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return ProcessResult(status: process.terminationStatus, stdout: output,
                             stderr: String(decoding: errorText.get(), as: UTF8.self))
    }
}

/// Standard error's bytes, handed from the reading thread.
private final class ErrorTextBox: Sendable {
    private let data = Mutex(Data())
    func set(_ value: Data) { data.withLock { $0 = value } }
    func get() -> Data { data.withLock { $0 } }
}
