// Running the built `cks` and other programs (aws, python3) from tests: output collected on threads of
// their own, every run bounded (killed when the bound passes), pipes closed in every child but their own.

import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `cks` binary under test and the programs the end-to-end tests drive it with.
enum Tools {
    /// The package root, from this file's place in Tests/KMSServerTests/Support.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `cks` beside the test bundle (`.build/<config>/`), else `.build/debug/cks` under the package root.
    static let cks: URL = {
        var folders: [URL] = []
        if let first = CommandLine.arguments.first, !first.isEmpty {
            folders.append(URL(fileURLWithPath: first).resolvingSymlinksInPath().deletingLastPathComponent())
        }
        folders.append(Bundle.main.bundleURL)
        folders.append(Bundle.main.bundleURL.deletingLastPathComponent())
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            folders.append(bundle.bundleURL.deletingLastPathComponent())
        }
        return folders.map { $0.appending(path: "cks") }.first { isExecutable($0.path) }
            ?? packageRoot.appending(path: ".build/debug/cks")
    }()

    static let aws = path("aws")
    static let python3 = path("python3")
    /// True when python3 can import boto3.
    static let hasBoto3: Bool = {
        guard let python3 else { return false }
        return (try? Processes.runBlocking(python3, ["-c", "import boto3"])) == 0
    }()

    static func path(_ name: String) -> String? {
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
        return folders.map { "\($0)/\(name)" }.first(where: isExecutable)
    }

    static func isExecutable(_ path: String) -> Bool {
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && !isFolder.boolValue
            && FileManager.default.isExecutableFile(atPath: path)
    }
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

/// A wait whose condition did not come true within its bound.
struct WaitTimedOut: Error, CustomStringConvertible {
    var description: String
}

/// Polls `check` until it returns a value, at most `bound`.
func poll<T>(_ what: String, bound: Duration = .seconds(60), every interval: Duration = .milliseconds(50),
             _ check: () async throws -> T?) async throws -> T {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: bound)
    while true {
        if let value = try await check() { return value }
        if clock.now >= deadline { throw WaitTimedOut(description: "timed out after \(bound) waiting for \(what)") }
        try await Task.sleep(for: interval)
    }
}

/// Reads a file descriptor to its end on a thread of its own.
final class OutputCollector: Sendable {
    private let buffer = Mutex(Data())
    private let done = Mutex(false)

    init(fileDescriptor fd: Int32) {
        let thread = Thread { [self] in
            var chunk = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if count > 0 {
                    buffer.withLock { $0.append(contentsOf: chunk[0..<count]) }
                    continue
                }
                if count < 0 && errno == EINTR { continue }
                break
            }
            close(fd)
            done.withLock { $0 = true }
        }
        thread.start()
    }

    var isFinished: Bool { done.withLock { $0 } }
    var text: String { String(decoding: buffer.withLock { $0 }, as: UTF8.self) }
}

/// A started program whose output is being collected.
final class RunningProcess: @unchecked Sendable {
    let command: String
    private let process: Process
    private let out: OutputCollector
    private let err: OutputCollector
    private let exitStatus = Mutex<Int32?>(nil)

    fileprivate init(command: String, process: Process, out: OutputCollector, err: OutputCollector) {
        self.command = command
        self.process = process
        self.out = out
        self.err = err
    }

    fileprivate func exited(_ status: Int32) { exitStatus.withLock { $0 = status } }

    var pid: Int32 { process.processIdentifier }
    var stdout: String { out.text }
    var stderr: String { err.text }
    var hasExited: Bool { exitStatus.withLock { $0 != nil } }

    func send(_ signal: Int32) {
        if !hasExited { _ = kill(pid, signal) }
    }

    /// Waits for the exit and the end of the output, at most `bound`; SIGKILL when the bound passes.
    func finish(bound: Duration = .seconds(60)) async throws -> ProcessResult {
        var timedOut = false
        let ended = { () -> Bool? in self.hasExited && self.out.isFinished && self.err.isFinished ? true : nil }
        do {
            _ = try await poll("\(command) to exit", bound: bound, every: .milliseconds(10), ended)
        } catch is WaitTimedOut {
            timedOut = true
            send(SIGKILL)
            _ = try await poll("\(command) to die", bound: .seconds(15), every: .milliseconds(10), ended)
        }
        return ProcessResult(command: command, status: exitStatus.withLock { $0 ?? -1 }, stdout: stdout, stderr: stderr,
                             timedOut: timedOut)
    }
}

#if os(Linux)
private enum CFunctions {
    @_silgen_name("pipe2") static func pipe2(_ fds: UnsafeMutablePointer<Int32>, _ flags: Int32) -> Int32
}
#endif

enum Processes {
    struct LaunchError: Error, CustomStringConvertible { var description: String }

    /// A pipe whose ends are closed in every child but the one they are handed to.
    private static func makePipe() throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        #if os(Linux)
        guard CFunctions.pipe2(&fds, O_CLOEXEC) == 0 else { throw LaunchError(description: "pipe2 failed") }
        #else
        guard pipe(&fds) == 0 else { throw LaunchError(description: "pipe failed") }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        #endif
        return (fds[0], fds[1])
    }

    /// Starts a program with exactly `environment`, standard input /dev/null.
    static func start(_ executable: String, _ arguments: [String], environment: [String: String]) throws -> RunningProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        let out = try makePipe()
        let err = try makePipe()
        process.standardOutput = FileHandle(fileDescriptor: out.write, closeOnDealloc: false)
        process.standardError = FileHandle(fileDescriptor: err.write, closeOnDealloc: false)
        let command = ([URL(fileURLWithPath: executable).lastPathComponent] + arguments).joined(separator: " ")
        let running = RunningProcess(command: command, process: process, out: OutputCollector(fileDescriptor: out.read),
                                     err: OutputCollector(fileDescriptor: err.read))
        process.terminationHandler = { [running] finished in running.exited(finished.terminationStatus) }
        do {
            try process.run()
        } catch {
            close(out.write)
            close(err.write)
            throw LaunchError(description: "cannot start \(command): \(error)")
        }
        close(out.write)
        close(err.write)
        return running
    }

    static func run(_ executable: String, _ arguments: [String], environment: [String: String],
                    bound: Duration = .seconds(60)) async throws -> ProcessResult {
        try await start(executable, arguments, environment: environment).finish(bound: bound)
    }

    /// Runs a quick helper synchronously (to decide a trait); returns its exit status.
    static func runBlocking(_ executable: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
