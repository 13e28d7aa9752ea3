// Child processes for the integration tests (moto_server, cks serve, cks itself): output collected on threads
// of their own, exit observed, every wait bounded, and the process killed when the test drops it.

import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

/// Reads a pipe until end of file on a thread of its own.
final class PipeCollector: Sendable {
    private let data = Mutex(Data())
    private let finished = Mutex(false)

    init(_ pipe: Pipe) {
        let handle = pipe.fileHandleForReading
        let thread = Thread { [self] in
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                data.withLock { $0.append(chunk) }
            }
            finished.withLock { $0 = true }
        }
        thread.start()
    }

    var text: String { String(decoding: data.withLock { $0 }, as: UTF8.self) }
    var isFinished: Bool { finished.withLock { $0 } }
}

/// A started process. Killed (SIGKILL) when dropped while still running.
final class ChildProcess: @unchecked Sendable {
    let command: String
    private let process: Process
    private let out: PipeCollector
    private let err: PipeCollector

    init(_ executable: String, _ arguments: [String], environment: [String: String]) throws {
        command = ([executable] + arguments).joined(separator: " ")
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        let outPipe = Pipe()
        let errPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        out = PipeCollector(outPipe)
        err = PipeCollector(errPipe)
        try process.run()
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            awaitExit(bound: 5)
        }
    }

    /// Waits (polling, never Process.waitUntilExit, which can hang on concurrency threads) for the exit.
    private func awaitExit(bound seconds: Double) {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(5_000) }
    }

    var stdout: String { out.text }
    var stderr: String { err.text }
    var isRunning: Bool { process.isRunning }

    /// Waits for the exit and the end of the output, at most `bound`; kills the process when the bound passes.
    func finish(bound: Duration = .seconds(60)) async throws -> CommandResult {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: bound)
        while process.isRunning || !out.isFinished || !err.isFinished {
            if clock.now >= deadline {
                kill(process.processIdentifier, SIGKILL)
                awaitExit(bound: 5)
                throw TimedOut(what: "\(command) to finish within \(bound): \(stdout.suffix(500)) \(stderr.suffix(500))")
            }
            try await Task.sleep(for: .milliseconds(5))
        }
        return CommandResult(command: command, status: process.terminationStatus, stdout: stdout, stderr: stderr)
    }

    /// SIGTERM, then SIGKILL if it has not gone within a few seconds.
    func stop() async {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(5))
        while process.isRunning && clock.now < deadline { try? await Task.sleep(for: .milliseconds(10)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        awaitExit(bound: 5)
    }

    /// Runs a command to its end, at most `bound`.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String],
                    bound: Duration = .seconds(60)) async throws -> CommandResult {
        try await ChildProcess(executable, arguments, environment: environment).finish(bound: bound)
    }
}

/// Programs found on PATH, and TCP helpers.
enum Host {
    static func which(_ name: String) -> String? {
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
        return folders.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// A TCP port nobody listens on right now (the system picks it).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TimedOut(what: "a socket") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else { throw TimedOut(what: "a free port") }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// True when something accepts TCP connections on 127.0.0.1:`port`.
    static func isListening(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return result == 0
    }
}
