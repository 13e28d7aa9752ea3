// Helpers for tests that run the built `cks` binary the way a user does: a process with its own
// CKS_HOME, its standard output and error captured, its exit status read, and a bound on how long it may
// take (it is killed when the bound passes). Nothing here sleeps for time to pass: waits poll a condition
// with a bound (CKSTestSupport's `poll`).

import CKSTestSupport
import Foundation
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
    static let url: URL = Executables.cks

    static func isExecutableFile(_ path: String) -> Bool { Executables.isExecutableFile(path) }
}

/// Other programs the tests use (found on PATH): the sqlite3 CLI, python3.
enum Tool {
    static func path(_ name: String) -> String? { Executables.onPath(name) }

    static let sqlite3 = path("sqlite3")
    static let python3 = path("python3")

    /// True when python3 can import botocore (for the key order of the KMS service model).
    static let hasBotocore = Task { await Spawn.succeeds(python3, ["-c", "import botocore.session"]) }
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

// MARK: - Processes

/// A started process whose output is being collected (CKSTestSupport's ChildProcess).
final class RunningCommand: Sendable {
    let command: String
    private let child: ChildProcess

    fileprivate init(command: String, child: ChildProcess) {
        self.command = command
        self.child = child
    }

    var pid: Int32 { child.pid }
    var stdout: String { child.stdout }

    /// When standard output first contained `fragment`.
    func arrival(of fragment: String) -> ContinuousClock.Instant? { child.standardOutput.arrival(of: fragment) }

    /// Runs `action` once, on the reading thread, the moment standard output satisfies `condition`.
    func whenOutput(_ condition: @escaping @Sendable (String) -> Bool, do action: @escaping @Sendable () -> Void) {
        child.standardOutput.watch { text in
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
    var stderr: String { child.stderr }
    var hasExited: Bool { !child.isRunning }

    func send(_ signal: Int32) {
        child.send(signal)
    }

    /// Waits for the process to exit and its output to end, at most `bound`; kills it (SIGKILL) when the
    /// bound passes.
    func finish(bound: Duration = .testWaitBound) async throws -> CommandResult {
        let outcome = try await child.finish(bound: bound)
        return CommandResult(command: command, status: outcome.exit.code, killedBySignal: outcome.exit.bySignal,
                             stdout: outcome.stdout, stderr: outcome.stderr, timedOut: outcome.timedOut)
    }

    /// Kills the process with SIGKILL and waits until it is gone.
    func kill9() async throws -> CommandResult {
        send(SIGKILL)
        return try await finish(bound: .testWaitBound)
    }
}

enum ProcessRunner {
    /// Starts `executable` with exactly `environment`. Standard input is /dev/null or `stdinFile`; standard
    /// output is a pipe, or a terminal when `terminal` is true; standard error is a pipe.
    static func start(
        _ executable: String, _ arguments: [String], environment: [String: String],
        terminal: Bool = false, stdinFile: URL? = nil, label: String? = nil
    ) throws -> RunningCommand {
        let command = label ?? ([URL(fileURLWithPath: executable).lastPathComponent] + arguments.map(quoted)).joined(separator: " ")
        let child = try ChildProcess(executable, arguments, environment: environment, input: stdinFile.map { .file($0.path) } ?? .devNull,
                                     terminal: terminal, normalizingLineEndings: true, label: command)
        return RunningCommand(command: command, child: child)
    }

    /// Runs a program to completion with a bound.
    static func run(
        _ executable: String, _ arguments: [String], environment: [String: String],
        terminal: Bool = false, stdinFile: URL? = nil, bound: Duration = .testWaitBound
    ) async throws -> CommandResult {
        try await start(executable, arguments, environment: environment, terminal: terminal, stdinFile: stdinFile)
            .finish(bound: bound)
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
    /// behaviour, plus CKS_HOME, CKS_PACE=instant, a UTF-8 locale and a 15 s XKS proxy timeout; `changes` sets (or,
    /// with nil, removes) more.
    func environment(_ changes: [String: String?] = [:]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for name in ["NO_COLOR", "CKS_PACE", "XDG_DATA_HOME", "LC_CTYPE", "LANG"] { environment[name] = nil }
        environment["CKS_HOME"] = home.path
        environment["CKS_PACE"] = "instant"
        environment["LC_ALL"] = "C.UTF-8"
        environment["TERM"] = "xterm-256color"
        // A debug build's TLS handshake to the embedded proxy can take longer than KMS's 250 ms on a loaded machine.
        environment["CKS_XKS_TIMEOUT_MS"] = "15000"
        for (name, value) in changes { environment[name] = value }
        return environment
    }

    /// Runs `cks` with arguments, at most `bound`.
    func run(
        _ arguments: String..., environment changes: [String: String?] = [:], terminal: Bool = false,
        bound: Duration = .testWaitBound
    ) async throws -> CommandResult {
        try await run(arguments, environment: changes, terminal: terminal, bound: bound)
    }

    func run(
        _ arguments: [String], environment changes: [String: String?] = [:], terminal: Bool = false,
        bound: Duration = .testWaitBound
    ) async throws -> CommandResult {
        try await ProcessRunner.run(CKSBinary.url.path, arguments, environment: environment(changes), terminal: terminal, bound: bound)
    }

    /// Starts `cks` without waiting for it.
    func start(_ arguments: [String], environment changes: [String: String?] = [:], terminal: Bool = false) throws -> RunningCommand {
        try ProcessRunner.start(CKSBinary.url.path, arguments, environment: environment(changes), terminal: terminal)
    }

    /// Starts `cks serve --no-auth` on this world and returns it with its URL and the environment of a cks run
    /// with `--backend aws` against it (test credentials, empty AWS config files). Stop it with SIGINT.
    func startServeForAWSBackend() async throws -> (serve: RunningCommand, url: String, environment: [String: String?]) {
        let serve = try start(["serve", "--port", "0", "--no-auth"])
        let url = try await CKSTestSupport.poll("the cks serve banner") {
            serve.stdout.firstMatch(of: /KMS endpoint on (http:\/\/[0-9.]+:[0-9]+)/).map { String($0.1) }
        }
        let environment: [String: String?] = [
            "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_REGION": "us-east-1",
            "AWS_CONFIG_FILE": scratchFile("config").path, "AWS_SHARED_CREDENTIALS_FILE": scratchFile("credentials").path,
        ]
        return (serve, url, environment)
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
