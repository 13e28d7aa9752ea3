import CKSTestSupport
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

    /// Growing the terminal while the console runs made tmux move rows of the store list onto the shell's
    /// screen when the console left the alternate screen.
    @Test(arguments: ["q", "C-c"])
    func quittingAfterResizesLeavesNoRowOnTheShellsScreen(quitKey: String) throws {
        let console = try TmuxConsole(width: 120, height: 30, shellLine: "SHELL-BEFORE-CKS")
        defer { console.close() }
        try console.waitFor("CONNECTION STATE")
        console.resize(width: 60, height: 20)
        try console.waitFor { !$0.contains("CLUSTER") && $0.contains("NAME") }
        console.resize(width: 130, height: 36)
        try console.waitFor("CREATED")
        console.send(quitKey)
        try console.waitFor("EXIT:0")
        let screen = console.screen()
        #expect(!screen.contains("cks-"), "no row of the store list is left on the shell's screen:\n\(screen)")
        #expect(screen.split(separator: "\n").first == "SHELL-BEFORE-CKS", "the shell's screen is as it was:\n\(screen)")
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
    static let tmuxPath: String? = TmuxServer.tmux

    /// `cks` next to the test bundle (.build/<config>/), where `swift build` puts it.
    static let binary: String? = Executables.builtCKS?.path

    /// A tmux server of its own per console, so that closing one leaves the others alone.
    let server: TmuxServer
    let home: URL

    /// `shellLine` is printed on the shell's screen before cks starts, as a prompt would be.
    init(width: Int = 120, height: Int = 36, shellLine: String? = nil) throws {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("cks-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let before = shellLine.map { "echo '\($0)'; " } ?? ""
        let command = before + "env TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 CKS_HOME='\(home.path)' CKS_PACE=demo '\(Self.binary!)'; echo EXIT:$?; sleep 30"
        server = try TmuxServer(socket: "cks-e2e-\(getpid())-\(UUID().uuidString.prefix(6))",
                                session: "console-\(UUID().uuidString.prefix(8))", command: command, width: width, height: height)
    }

    func close() {
        if let program = try? programPid() { kill(program, SIGKILL) }
        if let shell = try? shellPid() { kill(shell, SIGKILL) }
        server.kill()
        try? FileManager.default.removeItem(at: home)
    }

    func screen() -> String {
        server.screen()
    }

    func send(_ keys: String...) {
        server.send(keys)
    }

    func resize(width: Int, height: Int) {
        server.resize(width: width, height: height)
    }

    /// The shell tmux started in the pane.
    func shellPid() throws -> pid_t {
        guard let pid = try server.panePid() else { throw Timeout(screen: "no pane") }
        return pid
    }

    /// Sends a signal to the program running in the pane.
    func signalProgram(_ signal: Int32) throws {
        kill(try programPid(), signal)
    }

    /// The program in the pane: the child of the pane's shell.
    func programPid() throws -> pid_t {
        let children = try Spawn.run("/usr/bin/pgrep", ["-P", "\(try shellPid())"]).split(separator: "\n").compactMap { Int32($0) }
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
}
