import Foundation
import Testing

/// The real `cks` binary in tmux, on a fresh demo world: what a person at a terminal sees.
/// Contract: `.build/<config>/cks` with CKS_HOME=<empty dir> and CKS_PACE=demo opens the console on a fresh
/// demo world (at least six stores, CONNECTED, DISCONNECTED and FAILED with two different codes).
@Suite("End to end: the cks binary in tmux", .serialized,
       .enabled(if: TmuxConsole.tmuxPath != nil, "tmux is not installed (apt-get install tmux)"),
       .enabled(if: TmuxConsole.binary != nil, "no cks binary next to the test bundle; run swift build first"))
struct EndToEndTests {
    @Test func connectAStoreFromTheActionsMenu() throws {
        let console = try TmuxConsole()
        defer { console.close() }
        try console.waitFor("DISCONNECTED")
        let name = try console.moveToRow(containing: "○ DISCONNECTED")
        console.send("a")
        try console.waitFor("Key store actions")
        console.send("Enter")
        try console.waitFor { screen in TmuxConsole.row(of: name, in: screen)?.contains("CONNECTING") == true }
        try console.waitFor("Running")
        #expect(console.screen().contains("$ aws kms connect-custom-key-store --custom-key-store-id"), "the event log shows the aws command")
        try console.waitFor(within: 40) { screen in TmuxConsole.row(of: name, in: screen)?.contains("● CONNECTED") == true }
        #expect(console.screen().contains("CONNECTING → CONNECTED"))
    }

    @Test func aFailedStoreShowsItsCodeAndFix() throws {
        let console = try TmuxConsole()
        defer { console.close() }
        try console.waitFor("FAILED")
        let name = try console.moveToRow(containing: "✗ FAILED")
        let row = TmuxConsole.row(of: name, in: console.screen()) ?? ""
        let code = try #require(row.split(separator: " ").first { $0.contains("_") && $0 == $0.uppercased() }.map(String.init))
        console.send("Enter")
        try console.waitFor("Why it is FAILED")
        let screen = console.screen()
        #expect(screen.contains("✗ \(code)"))
        #expect(screen.contains("Meaning"))
        #expect(screen.contains("Fix"))
        #expect(screen.contains("f fix it"))
        console.send("Escape")
        try console.waitFor("NAME")
    }

    @Test func resizingBelowTheMinimumShowsAMessageThenComesBack() throws {
        let console = try TmuxConsole()
        defer { console.close() }
        try console.waitFor("CONNECTION STATE")
        console.resize(width: 50, height: 10)
        try console.waitFor("cks needs at least")
        console.resize(width: 100, height: 30)
        try console.waitFor("CONNECTION STATE")
        #expect(!console.screen().contains("cks needs at least"))
    }

    @Test func quitRestoresTheTerminal() throws {
        let console = try TmuxConsole()
        defer { console.close() }
        try console.waitFor("CONNECTION STATE")
        console.send("q")
        try console.waitFor("EXIT:0")
        #expect(!console.screen().contains("CONNECTION STATE"), "the alternate screen is gone")
    }

    @Test func sigtermEndsInOrder() throws {
        let console = try TmuxConsole()
        defer { console.close() }
        try console.waitFor("CONNECTION STATE")
        try console.signalProgram(SIGTERM)
        try console.waitFor("EXIT:143")
        #expect(!console.screen().contains("CONNECTION STATE"))
    }
}

/// One console in a detached tmux session on a private server, with its own fresh world.
final class TmuxConsole {
    static let tmuxPath: String? = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/opt/homebrew/bin/tmux"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// `cks` next to the test bundle (.build/<config>/), where `swift build` puts it.
    static let binary: String? = {
        var directories = [URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
        directories.append(Bundle.main.bundleURL.deletingLastPathComponent())
        directories.append(Bundle.main.bundleURL)
        return directories.map { $0.appendingPathComponent("cks").path }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// A tmux server of its own per console, so that closing one leaves the others alone.
    let socket = "cks-e2e-\(getpid())-\(UUID().uuidString.prefix(6))"
    let session = "console-\(UUID().uuidString.prefix(8))"
    let home: URL

    init(width: Int = 120, height: Int = 36) throws {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("cks-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let command = "env TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 CKS_HOME='\(home.path)' CKS_PACE=demo '\(Self.binary!)'; echo EXIT:$?; sleep 30"
        // The first command starts the tmux server, which would keep a captured output pipe open forever.
        try tmux(["new-session", "-d", "-s", session, "-x", "\(width)", "-y", "\(height)", command], capture: false)
    }

    func close() {
        if let program = try? programPid() { kill(program, SIGKILL) }
        if let shell = try? shellPid() { kill(shell, SIGKILL) }
        _ = try? tmux(["kill-server"], capture: false)
        try? FileManager.default.removeItem(at: home)
    }

    func screen() -> String {
        (try? tmux(["capture-pane", "-p", "-t", session])) ?? ""
    }

    func send(_ keys: String...) {
        _ = try? tmux(["send-keys", "-t", session] + keys, capture: false)
    }

    func resize(width: Int, height: Int) {
        _ = try? tmux(["resize-window", "-t", session, "-x", "\(width)", "-y", "\(height)"], capture: false)
    }

    /// The shell tmux started in the pane.
    func shellPid() throws -> pid_t {
        let text = try tmux(["display", "-p", "-t", session, "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let pid = pid_t(text) else { throw Timeout(screen: "no pane") }
        return pid
    }

    /// Sends a signal to the program running in the pane.
    func signalProgram(_ signal: Int32) throws {
        kill(try programPid(), signal)
    }

    /// The program in the pane: the child of the pane's shell.
    func programPid() throws -> pid_t {
        let children = try Self.run("/usr/bin/pgrep", ["-P", "\(try shellPid())"]).split(separator: "\n").compactMap { Int32($0) }
        guard let program = children.first else { throw Timeout(screen: "no program runs in the pane") }
        return program
    }

    /// Waits until the screen shows `text`, polling tmux; fails after `bound` seconds.
    func waitFor(_ text: String, within bound: TimeInterval = 20) throws {
        try waitFor(within: bound) { $0.contains(text) }
    }

    func waitFor(within bound: TimeInterval = 20, _ condition: (String) -> Bool) throws {
        let deadline = Date().addingTimeInterval(bound)
        var last = ""
        while Date() < deadline {
            last = screen()
            if condition(last) { return }
            usleep(50_000)
        }
        throw Timeout(screen: last)
    }

    /// Presses j until the selected row (marked ▸) contains `text`; returns that store's name.
    func moveToRow(containing text: String) throws -> String {
        for _ in 0..<30 {
            if let row = screen().split(separator: "\n").first(where: { $0.hasPrefix("▸") }), row.contains(text) {
                return String(row.dropFirst().split(separator: " ").first ?? "")
            }
            let before = screen()
            send("j")
            try? waitFor(within: 2) { $0 != before }
        }
        throw Timeout(screen: screen())
    }

    /// The table row of a store, by its name.
    static func row(of name: String, in screen: String) -> String? {
        screen.split(separator: "\n").map(String.init).first { line in
            line.dropFirst(2).hasPrefix(name + " ")
        }
    }

    /// What the screen showed when a wait ran out.
    struct Timeout: Error, CustomStringConvertible {
        var screen: String
        var description: String { "timed out; the screen was:\n" + screen }
    }

    @discardableResult
    private func tmux(_ arguments: [String], capture: Bool = true) throws -> String {
        try Self.run(Self.tmuxPath!, ["-L", socket] + arguments, capture: capture)
    }

    /// Runs a program and waits for it, with posix_spawn and waitpid rather than Foundation's Process (whose
    /// waitUntilExit can hang on Swift's concurrency threads). The child gets no descriptor of ours but
    /// stdout, so a tmux server it starts holds nothing the test runner waits on.
    static func run(_ path: String, _ arguments: [String], capture: Bool = true) throws -> String {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("cks-e2e-\(UUID().uuidString).out").path
        defer { unlink(output) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, capture ? output : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for fd in open.compactMap(Int32.init) where fd > 2 { posix_spawn_file_actions_addclose(&actions, fd) }
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let environment = ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + environment { free(pointer) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, path, &actions, nil, argv, environment)
        guard status == 0 else { throw POSIXError(POSIXErrorCode(rawValue: status) ?? .EIO) }
        var exit: Int32 = 0
        while waitpid(pid, &exit, 0) == -1, errno == EINTR {}
        return capture ? ((try? String(contentsOfFile: output, encoding: .utf8)) ?? "") : ""
    }
}
