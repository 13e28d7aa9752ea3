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
        let (process, out, err) = try launch {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            process.environment = environment
            let out = Pipe()
            let err = Pipe()
            process.standardOutput = out
            process.standardError = err
            return (process, out, err)
        }
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

/// Starts a process `make` prepares, trying again a few times while the executable is "busy": a script just
/// written may still be open for writing in a child another thread forked meanwhile (ETXTBSY until it execs).
private func launch(_ make: () -> (Process, Pipe, Pipe)) throws -> (Process, Pipe, Pipe) {
    var attempt = 0
    while true {
        let prepared = make()
        do {
            try prepared.0.run()
            return prepared
        } catch let error as NSError {
            let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError
            attempt += 1
            guard underlying?.domain == NSPOSIXErrorDomain, underlying?.code == Int(ETXTBSY), attempt < 5 else { throw error }
            Thread.sleep(forTimeInterval: 0.02 * Double(attempt))
        }
    }
}

/// Standard error's bytes, handed from the reading thread.
private final class ErrorTextBox: Sendable {
    private let data = Mutex(Data())
    func set(_ value: Data) { data.withLock { $0 = value } }
    func get() -> Data { data.withLock { $0 } }
}
