// Helpers for tests that run the built `cks` binary the way a user does: a process with its own
// CKS_HOME, its standard output and error captured, its exit status read, and a bound on how long it may
// take (it is killed when the bound passes). Nothing here sleeps for time to pass: waits poll a condition
// with a bound.

import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - The binary under test

enum CKSBinary {
    /// The `cks` built next to the test bundle (`.build/<config>/cks` beside `cksPackageTests.xctest`),
    /// else `.build/debug/cks` under the package root.
    static let url: URL = locate()

    /// The package root, from this file's place in Tests/CKSCommandsTests/Support.
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    private static func locate() -> URL {
        var folders: [URL] = []
        if let first = CommandLine.arguments.first, !first.isEmpty {
            folders.append(URL(fileURLWithPath: first).resolvingSymlinksInPath().deletingLastPathComponent())
        }
        folders.append(Bundle.main.bundleURL)
        folders.append(Bundle.main.bundleURL.deletingLastPathComponent())
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            folders.append(bundle.bundleURL.deletingLastPathComponent())
        }
        for folder in folders {
            let candidate = folder.appending(path: "cks")
            if isExecutableFile(candidate.path) { return candidate }
        }
        return packageRoot.appending(path: ".build/debug/cks")
    }

    static func isExecutableFile(_ path: String) -> Bool {
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && !isFolder.boolValue
            && FileManager.default.isExecutableFile(atPath: path)
    }
}

/// Other programs the tests use (found on PATH): the sqlite3 CLI, python3.
enum Tool {
    static func path(_ name: String) -> String? {
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":")
        return folders.map { "\($0)/\(name)" }.first(where: CKSBinary.isExecutableFile)
    }

    static let sqlite3 = path("sqlite3")
    static let python3 = path("python3")

    /// True when python3 can import botocore (for the key order of the KMS service model).
    static let hasBotocore: Bool = {
        guard let python3 else { return false }
        let result = try? ProcessRunner.runBlocking(python3, ["-c", "import botocore.session"], environment: ProcessInfo.processInfo.environment)
        return result?.status == 0
    }()
}

// MARK: - Results

/// What a finished command did.
struct CommandResult: Sendable, CustomStringConvertible {
    var command: String
    /// The exit status, or the signal number when `killedBySignal`.
    var status: Int32
    var killedBySignal: Bool
    var stdout: String
    var stderr: String
    /// The bound passed and the process was killed.
    var timedOut: Bool

    var lines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }

    /// The exception name of a `cks: <ExceptionName>: <message>` error line.
    var exceptionName: String? {
        guard let line = stderr.split(separator: "\n").first(where: { $0.hasPrefix("cks: ") }) else { return nil }
        let rest = line.dropFirst("cks: ".count)
        guard let colon = rest.firstIndex(of: ":") else { return nil }
        let name = String(rest[..<colon])
        return name.allSatisfy { $0.isLetter || $0.isNumber } ? name : nil
    }

    var description: String {
        var text = "$ \(command)\n→ \(killedBySignal ? "killed by signal" : "exit status") \(status)\(timedOut ? " (timed out, killed)" : "")"
        if !stdout.isEmpty { text += "\n--- stdout ---\n" + String(stdout.prefix(6000)) }
        if !stderr.isEmpty { text += "\n--- stderr ---\n" + String(stderr.prefix(3000)) }
        return text
    }
}

/// A wait that did not see its condition within the bound.
struct WaitTimedOut: Error, CustomStringConvertible {
    var what: String
    var bound: Duration
    var last: String
    var description: String { "timed out after \(bound) waiting for \(what); last seen: \(last)" }
}

/// Polls `check` until it returns a value, at most `bound`. The pause between polls is only the polling
/// interval, never a wait for the simulated workflow's time to pass.
func poll<T>(
    _ what: String, bound: Duration = .seconds(30), every interval: Duration = .milliseconds(20),
    _ check: () async throws -> T?
) async throws -> T {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: bound)
    while true {
        if let value = try await check() { return value }
        if clock.now >= deadline { throw WaitTimedOut(what: what, bound: bound, last: "condition still false") }
        try await Task.sleep(for: interval)
    }
}

// MARK: - Output collection

/// Reads a file descriptor on a thread of its own until end of file, keeping what it read and when each
/// piece arrived. A watcher, if set, sees the text after every piece on that thread (so it can react at once,
/// whatever the load on the test's own threads).
final class OutputCollector: Sendable {
    private struct State {
        var data = Data()
        var arrivals: [(end: Int, at: ContinuousClock.Instant)] = []
        var done = false
        var watcher: (@Sendable (String) -> Bool)?
    }

    private let state = Mutex(State())

    init(fileDescriptor fd: Int32) {
        let thread = Thread { [self] in
            var chunk = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if count > 0 {
                    let now = ContinuousClock.now
                    let (text, watcher) = state.withLock { state -> (String?, (@Sendable (String) -> Bool)?) in
                        state.data.append(contentsOf: chunk[0..<count])
                        state.arrivals.append((state.data.count, now))
                        return state.watcher == nil ? (nil, nil) : (Self.decode(state.data), state.watcher)
                    }
                    if let text, let watcher, watcher(text) { state.withLock { $0.watcher = nil } }
                    continue
                }
                if count < 0 && errno == EINTR { continue }
                break  // end of file, or EIO when the last writer of a terminal has gone
            }
            close(fd)
            state.withLock { $0.done = true }
        }
        thread.start()
    }

    private static func decode(_ data: Data) -> String {
        String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
    }

    var isFinished: Bool { state.withLock { $0.done } }

    /// The text so far, with terminal line endings (\r\n) turned into \n.
    var text: String { Self.decode(state.withLock { $0.data }) }

    /// Calls `watcher` with the whole text after each piece that arrives (and now), until it returns true.
    func watch(_ watcher: @escaping @Sendable (String) -> Bool) {
        let current = state.withLock { state -> String in
            state.watcher = watcher
            return Self.decode(state.data)
        }
        if watcher(current) { state.withLock { $0.watcher = nil } }
    }

    /// When the text first contained `fragment`: the arrival of the piece that completed it.
    func arrival(of fragment: String) -> ContinuousClock.Instant? {
        let (data, arrivals) = state.withLock { ($0.data, $0.arrivals) }
        let needle = Data(fragment.utf8)
        guard let range = data.range(of: needle) else { return nil }
        return arrivals.first { $0.end >= range.upperBound }?.at
    }
}

// MARK: - Processes

/// A started process whose output is being collected.
final class RunningCommand: @unchecked Sendable {
    let command: String
    private let process: Process
    private let stdoutCollector: OutputCollector
    private let stderrCollector: OutputCollector
    private let exit = Mutex<(status: Int32, bySignal: Bool)?>(nil)

    fileprivate init(command: String, process: Process, stdout: OutputCollector, stderr: OutputCollector) {
        self.command = command
        self.process = process
        self.stdoutCollector = stdout
        self.stderrCollector = stderr
    }

    fileprivate func exited(status: Int32, bySignal: Bool) {
        exit.withLock { $0 = (status, bySignal) }
    }

    var pid: Int32 { process.processIdentifier }
    var stdout: String { stdoutCollector.text }

    /// When standard output first contained `fragment`.
    func arrival(of fragment: String) -> ContinuousClock.Instant? { stdoutCollector.arrival(of: fragment) }

    /// Runs `action` once, on the reading thread, the moment standard output satisfies `condition`.
    func whenOutput(_ condition: @escaping @Sendable (String) -> Bool, do action: @escaping @Sendable () -> Void) {
        stdoutCollector.watch { text in
            guard condition(text) else { return false }
            action()
            return true
        }
    }

    /// Sends SIGKILL from the reading thread the moment standard output satisfies `condition`.
    func killWhenOutput(_ condition: @escaping @Sendable (String) -> Bool) {
        let pid = self.pid
        whenOutput(condition) { _ = kill(pid, SIGKILL) }
    }
    var stderr: String { stderrCollector.text }
    var hasExited: Bool { exit.withLock { $0 != nil } }

    func send(_ signal: Int32) {
        if !hasExited { _ = kill(pid, signal) }
    }

    /// Waits for the process to exit and its output to end, at most `bound`; kills it (SIGKILL) when the
    /// bound passes.
    func finish(bound: Duration = .seconds(60)) async throws -> CommandResult {
        var timedOut = false
        do {
            _ = try await poll("\(command) to exit", bound: bound, every: .milliseconds(10)) { () -> Bool? in
                hasExited && stdoutCollector.isFinished && stderrCollector.isFinished ? true : nil
            }
        } catch is WaitTimedOut {
            timedOut = true
            send(SIGKILL)
            _ = try await poll("\(command) to die after SIGKILL", bound: .seconds(15), every: .milliseconds(10)) { () -> Bool? in
                hasExited && stdoutCollector.isFinished && stderrCollector.isFinished ? true : nil
            }
        }
        let (status, bySignal) = exit.withLock { $0! }
        return CommandResult(command: command, status: status, killedBySignal: bySignal,
                             stdout: stdout, stderr: stderr, timedOut: timedOut)
    }

    /// Kills the process with SIGKILL and waits until it is gone.
    func kill9() async throws -> CommandResult {
        send(SIGKILL)
        return try await finish(bound: .seconds(15))
    }
}

#if os(Linux)
/// C functions the Glibc module does not import (they need _GNU_SOURCE / _XOPEN_SOURCE).
enum CFunctions {
    @_silgen_name("pipe2") static func pipe2(_ fds: UnsafeMutablePointer<Int32>, _ flags: Int32) -> Int32
    @_silgen_name("posix_openpt") static func posix_openpt(_ flags: Int32) -> Int32
    @_silgen_name("grantpt") static func grantpt(_ fd: Int32) -> Int32
    @_silgen_name("unlockpt") static func unlockpt(_ fd: Int32) -> Int32
    @_silgen_name("ptsname_r") static func ptsname_r(_ fd: Int32, _ buffer: UnsafeMutablePointer<CChar>, _ length: Int) -> Int32
}
#endif

enum ProcessRunner {
    struct LaunchError: Error, CustomStringConvertible {
        var description: String
    }

    /// A pipe whose ends are closed in every child but the one they are handed to.
    private static func makePipe() throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        #if os(Linux)
        guard CFunctions.pipe2(&fds, O_CLOEXEC) == 0 else { throw LaunchError(description: "pipe2: \(String(cString: strerror(errno)))") }
        #else
        guard pipe(&fds) == 0 else { throw LaunchError(description: "pipe: \(String(cString: strerror(errno)))") }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        #endif
        return (fds[0], fds[1])
    }

    /// A pseudo-terminal: the process writes to `terminal` (so isatty is true) and we read `controller`.
    private static func makeTerminal() throws -> (read: Int32, write: Int32) {
        #if os(Linux)
        let controller = CFunctions.posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC)
        var nameBuffer = [CChar](repeating: 0, count: 128)
        guard controller >= 0, CFunctions.grantpt(controller) == 0, CFunctions.unlockpt(controller) == 0,
              CFunctions.ptsname_r(controller, &nameBuffer, nameBuffer.count) == 0 else {
            throw LaunchError(description: "cannot open a pseudo-terminal: \(String(cString: strerror(errno)))")
        }
        let name = String(decoding: nameBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        #else
        let controller = posix_openpt(O_RDWR | O_NOCTTY)
        guard controller >= 0, grantpt(controller) == 0, unlockpt(controller) == 0, let cName = ptsname(controller) else {
            throw LaunchError(description: "cannot open a pseudo-terminal: \(String(cString: strerror(errno)))")
        }
        _ = fcntl(controller, F_SETFD, FD_CLOEXEC)
        let name = String(cString: cName)
        #endif
        let terminal = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard terminal >= 0 else { throw LaunchError(description: "cannot open \(name)") }
        return (controller, terminal)
    }

    /// Starts `executable` with exactly `environment`. Standard input is /dev/null or `stdinFile`; standard
    /// output is a pipe, or a terminal when `terminal` is true; standard error is a pipe.
    static func start(
        _ executable: String, _ arguments: [String], environment: [String: String],
        terminal: Bool = false, stdinFile: URL? = nil, label: String? = nil
    ) throws -> RunningCommand {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        guard let input = FileHandle(forReadingAtPath: stdinFile?.path ?? "/dev/null") else {
            throw LaunchError(description: "cannot open standard input \(stdinFile?.path ?? "/dev/null")")
        }
        process.standardInput = input

        let out: (read: Int32, write: Int32) = terminal ? try makeTerminal() : try makePipe()
        let err = try makePipe()
        process.standardOutput = FileHandle(fileDescriptor: out.write, closeOnDealloc: false)
        process.standardError = FileHandle(fileDescriptor: err.write, closeOnDealloc: false)

        let command = label ?? ([URL(fileURLWithPath: executable).lastPathComponent] + arguments.map(quoted)).joined(separator: " ")
        let running = RunningCommand(command: command, process: process,
                                     stdout: OutputCollector(fileDescriptor: out.read),
                                     stderr: OutputCollector(fileDescriptor: err.read))
        process.terminationHandler = { [running] finished in
            running.exited(status: finished.terminationStatus, bySignal: finished.terminationReason == .uncaughtSignal)
        }
        do {
            try process.run()
        } catch {
            close(out.write)
            close(err.write)
            try? input.close()
            throw LaunchError(description: "cannot start \(command): \(error)")
        }
        // Only the child writes now: the collectors see end of file when it exits.
        close(out.write)
        close(err.write)
        try? input.close()
        return running
    }

    /// Runs a program to completion with a bound.
    static func run(
        _ executable: String, _ arguments: [String], environment: [String: String],
        terminal: Bool = false, stdinFile: URL? = nil, bound: Duration = .seconds(60)
    ) async throws -> CommandResult {
        try await start(executable, arguments, environment: environment, terminal: terminal, stdinFile: stdinFile)
            .finish(bound: bound)
    }

    /// Runs a quick helper program synchronously (outside any test, e.g. to decide a trait).
    static func runBlocking(_ executable: String, _ arguments: [String], environment: [String: String]) throws -> CommandResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        process.waitUntilExit()
        return CommandResult(command: executable, status: process.terminationStatus, killedBySignal: false,
                             stdout: "", stderr: "", timedOut: false)
    }

    static func quoted(_ argument: String) -> String {
        argument.contains(where: { " '\"$\n".contains($0) }) ? "'\(argument.replacingOccurrences(of: "'", with: "'\\''"))'" : argument
    }
}

// MARK: - A world of one's own

/// A temporary CKS_HOME for one test, removed when the test drops it.
final class TestWorld: Sendable {
    let home: URL

    init(subfolder: String? = nil) throws {
        let base = FileManager.default.temporaryDirectory.appending(path: "cks-clitests-\(UUID().uuidString.prefix(12))")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        home = subfolder.map { base.appending(path: $0) } ?? base
        root = base
    }

    private let root: URL

    deinit {
        try? FileManager.default.removeItem(at: root)
    }

    var worldFile: URL { home.appending(path: "world.sqlite") }

    /// A scratch file next to the world (outside CKS_HOME's world file).
    func scratchFile(_ name: String) -> URL { root.appending(path: "scratch-\(name)") }

    /// The environment of every cks this test runs: the parent's, minus anything that would change cks's
    /// behaviour, plus CKS_HOME, CKS_PACE=instant and a UTF-8 locale; `changes` sets (or, with nil, removes) more.
    func environment(_ changes: [String: String?] = [:]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for name in ["NO_COLOR", "CKS_PACE", "XDG_DATA_HOME", "LC_CTYPE", "LANG"] { environment[name] = nil }
        environment["CKS_HOME"] = home.path
        environment["CKS_PACE"] = "instant"
        environment["LC_ALL"] = "C.UTF-8"
        environment["TERM"] = "xterm-256color"
        for (name, value) in changes { environment[name] = value }
        return environment
    }

    /// Runs `cks` with arguments, at most `bound`.
    func run(
        _ arguments: String..., environment changes: [String: String?] = [:], terminal: Bool = false,
        bound: Duration = .seconds(60)
    ) async throws -> CommandResult {
        try await run(arguments, environment: changes, terminal: terminal, bound: bound)
    }

    func run(
        _ arguments: [String], environment changes: [String: String?] = [:], terminal: Bool = false,
        bound: Duration = .seconds(60)
    ) async throws -> CommandResult {
        try await ProcessRunner.run(CKSBinary.url.path, arguments, environment: environment(changes), terminal: terminal, bound: bound)
    }

    /// Starts `cks` without waiting for it.
    func start(_ arguments: [String], environment changes: [String: String?] = [:], terminal: Bool = false) throws -> RunningCommand {
        try ProcessRunner.start(CKSBinary.url.path, arguments, environment: environment(changes), terminal: terminal)
    }

    /// Creates the world (the demo world) by running `cks list` once.
    func seed(sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let result = try await run("list")
        try #require(result.status == 0, "\(result)", sourceLocation: sourceLocation)
    }

    /// Runs a command that must succeed and prints JSON; returns the parsed value.
    func json(_ arguments: String..., sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String: Any] {
        let result = try await run(arguments)
        try #require(result.status == 0 && !result.killedBySignal, "\(result)", sourceLocation: sourceLocation)
        let value = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        return try #require(value as? [String: Any], "not a JSON object: \(result)", sourceLocation: sourceLocation)
    }

    /// The store as `cks list --output json --id` shows it.
    func store(_ id: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String: Any] {
        let page = try await json("list", "--output", "json", "--id", id, sourceLocation: sourceLocation)
        let stores = try #require(page["CustomKeyStores"] as? [[String: Any]], sourceLocation: sourceLocation)
        try #require(stores.count == 1, "\(stores)", sourceLocation: sourceLocation)
        return stores[0]
    }

    /// ConnectionState and ConnectionErrorCode of a store, through `cks list --output json --id`.
    func state(of id: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> (state: String, code: String?) {
        let store = try await store(id, sourceLocation: sourceLocation)
        return (store["ConnectionState"] as? String ?? "?", store["ConnectionErrorCode"] as? String)
    }

    /// Polls `cks list --output json --id` until the store is in `wanted`, at most `bound`.
    @discardableResult
    func waitForState(_ id: String, _ wanted: String, bound: Duration = .seconds(30)) async throws -> (state: String, code: String?) {
        var last = "?"
        do {
            return try await poll("\(id) to be \(wanted)", bound: bound, every: .milliseconds(50)) {
                let now = try await state(of: id)
                last = now.state + (now.code.map { " (\($0))" } ?? "")
                return now.state == wanted ? now : nil
            }
        } catch var timeout as WaitTimedOut {
            timeout.last = last
            throw timeout
        }
    }

    /// `cks sim clusters --output json`, one cluster.
    func cluster(_ id: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String: Any] {
        let answer = try await json("sim", "clusters", "--output", "json", sourceLocation: sourceLocation)
        let clusters = try #require(answer["Clusters"] as? [[String: Any]], sourceLocation: sourceLocation)
        return try #require(clusters.first { $0["ClusterId"] as? String == id }, "no cluster \(id)", sourceLocation: sourceLocation)
    }

    /// The cluster's subnets by Availability Zone (its SubnetMapping).
    func subnets(ofCluster id: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String: String] {
        let cluster = try await cluster(id, sourceLocation: sourceLocation)
        return try #require(cluster["SubnetMapping"] as? [String: String], sourceLocation: sourceLocation)
    }

    /// Free addresses per subnet of a cluster, read from the `cks sim clusters` table
    /// (`subnet:     subnet-… us-east-1a 10.0.1.0/24 245 free`).
    func freeAddresses(ofCluster id: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String: Int] {
        let result = try await run("sim", "clusters")
        try #require(result.status == 0, "\(result)", sourceLocation: sourceLocation)
        var free: [String: Int] = [:]
        var inCluster = false
        for line in result.lines {
            if !line.hasPrefix(" ") { inCluster = line.hasPrefix(id + " ") }
            guard inCluster, line.trimmingCharacters(in: .whitespaces).hasPrefix("subnet:") else { continue }
            let words = line.split(separator: " ")
            if let subnet = words.first(where: { $0.hasPrefix("subnet-") }),
               let index = words.firstIndex(of: "free"), index > 0, let count = Int(words[index - 1]) {
                free[String(subnet)] = count
            }
        }
        return free
    }

    /// Rows of a read-only query of the world file with the sqlite3 CLI (columns separated by |).
    func sqlite(_ sql: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String] {
        let sqlite3 = try #require(Tool.sqlite3, "the sqlite3 command is not installed", sourceLocation: sourceLocation)
        try #require(FileManager.default.fileExists(atPath: worldFile.path), "no world file yet (seed it first)", sourceLocation: sourceLocation)
        let result = try await ProcessRunner.run(sqlite3, ["-readonly", worldFile.path, sql], environment: ProcessInfo.processInfo.environment)
        try #require(result.status == 0 && result.stderr.isEmpty, "\(result)", sourceLocation: sourceLocation)
        return result.lines
    }

    func sqliteCount(_ sql: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> Int {
        let rows = try await sqlite(sql, sourceLocation: sourceLocation)
        return try #require(rows.first.flatMap { Int($0) }, "not a count: \(rows)", sourceLocation: sourceLocation)
    }
}

/// Runs python3 with a script; the input text is given as a file on standard input.
func python3(_ script: String, input: String, scratch: URL) async throws -> CommandResult {
    let python3 = try #require(Tool.python3, "python3 is not installed")
    try Data(input.utf8).write(to: scratch)
    return try await ProcessRunner.run(python3, ["-c", script], environment: ProcessInfo.processInfo.environment, stdinFile: scratch)
}

// MARK: - Assertions

/// Expects a KMS error: exit status 1 and `cks: <name>: …` on standard error, mentioning every fragment.
func expectKMSError(
    _ result: CommandResult, _ name: String, mentioning fragments: [String] = [],
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(result.status == 1 && !result.killedBySignal, "\(result)", sourceLocation: sourceLocation)
    #expect(result.exceptionName == name, "\(result)", sourceLocation: sourceLocation)
    for fragment in fragments {
        #expect(result.stderr.contains(fragment), "stderr lacks \"\(fragment)\": \(result)", sourceLocation: sourceLocation)
    }
}

/// Expects exit status 0.
func expectSuccess(_ result: CommandResult, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(result.status == 0 && !result.killedBySignal && !result.timedOut, "\(result)", sourceLocation: sourceLocation)
}

/// True when the text holds an ANSI escape sequence.
func hasANSIEscape(_ text: String) -> Bool { text.contains("\u{1B}[") }

// MARK: - The demo world (assets/demo-world.json)

enum Demo {
    struct Store: Sendable, CustomTestStringConvertible {
        var id: String
        var name: String
        var cluster: String
        var password: String
        var testDescription: String { name }
    }

    static let paymentsProd = Store(id: "cks-1a2b3c4d5e6f70819", name: "payments-prod", cluster: "cluster-2payments7a", password: "Payments2024kms")
    static let analytics = Store(id: "cks-2b3c4d5e6f7081920", name: "analytics-warehouse", cluster: "cluster-3analytics4", password: "AnalyticsKms77")
    static let ledgerArchive = Store(id: "cks-3c4d5e6f708192a3b", name: "ledger-archive", cluster: "cluster-4ledgerarch", password: "LedgerArchive9")
    static let hrRecords = Store(id: "cks-4d5e6f708192a3b4c", name: "hr-records", cluster: "cluster-5hrrecordsz", password: "PeopleData2025")
    static let tokenizationVault = Store(id: "cks-5e6f708192a3b4c5d", name: "tokenization-vault", cluster: "cluster-6tokenvault", password: "TokenVault2023")
    static let releaseSigning = Store(id: "cks-6f708192a3b4c5d6e", name: "release-signing", cluster: "cluster-7signingkey", password: "SigningKeys42")
    static let partnerExchange = Store(id: "cks-708192a3b4c5d6e7f", name: "partner-exchange", cluster: "cluster-2partnerexc", password: "PartnerExch88")

    /// The ACTIVE cluster without a store, and its kmsuser password.
    static let spareCluster = "cluster-3sparecapac"
    static let sparePassword = "SpareCluster1"
    static let uninitializedCluster = "cluster-4newcluster"
}

/// The members of botocore's CustomKeyStoresListEntry shape, in the model's order
/// (checked against botocore itself where it is installed).
let describeEntryKeyOrder = [
    "CustomKeyStoreId", "CustomKeyStoreName", "CloudHsmClusterId", "TrustAnchorCertificate", "ConnectionState",
    "ConnectionErrorCode", "CreationDate", "CustomKeyStoreType", "XksProxyConfiguration",
]
