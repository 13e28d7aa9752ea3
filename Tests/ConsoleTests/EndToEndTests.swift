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
    @Test func connectAStoreFromTheActionsMenu() async throws {
        let console = try await TmuxConsole()
        defer { console.close() }
        try await console.waitFor("DISCONNECTED")
        let name = try await console.moveToRow(containing: "○ DISCONNECTED")
        await console.send("a")
        try await console.waitFor("Key store actions")
        await console.send("Enter")
        try await console.waitFor { screen in TmuxConsole.row(of: name, in: screen)?.contains("CONNECTING") == true }
        // The tray shows the connect: "Running" while it runs, "Finished" once it is over (a loaded run may first
        // look after the demo pace's few seconds).
        try await console.waitFor { $0.contains("── Running") || $0.contains("── Finished") }
        try await console.waitFor(within: .testWaitBound) { screen in TmuxConsole.row(of: name, in: screen)?.contains("● CONNECTED") == true }
        #expect(await console.screen().contains("CONNECTING → CONNECTED"))
        // The connect's steps scroll its aws command out of the log's view: focus the log and go to its oldest events.
        await console.send("Tab")
        await console.send("g")
        try await console.waitFor("$ aws kms connect-custom-key-store --custom-key-store-id")
    }

    @Test func aFailedStoreShowsItsCodeAndFix() async throws {
        let console = try await TmuxConsole()
        defer { console.close() }
        try await console.waitFor("FAILED")
        let name = try await console.moveToRow(containing: "✗ FAILED")
        let row = TmuxConsole.row(of: name, in: await console.screen()) ?? ""
        let code = try #require(row.split(separator: " ").first { $0.contains("_") && $0 == $0.uppercased() }.map(String.init))
        await console.send("Enter")
        try await console.waitFor("Why it is FAILED")
        let screen = await console.screen()
        #expect(screen.contains("✗ \(code)"))
        #expect(screen.contains("Meaning"))
        #expect(screen.contains("Fix"))
        #expect(screen.contains("f fix it"))
        await console.send("Escape")
        try await console.waitFor("NAME")
    }

    @Test func resizingBelowTheMinimumShowsAMessageThenComesBack() async throws {
        let console = try await TmuxConsole()
        defer { console.close() }
        try await console.waitFor("CONNECTION STATE")
        await console.resize(width: 50, height: 10)
        try await console.waitFor("cks needs at least")
        await console.resize(width: 100, height: 30)
        try await console.waitFor("CONNECTION STATE")
        #expect(!(await console.screen()).contains("cks needs at least"))
    }

    @Test func quitRestoresTheTerminal() async throws {
        let console = try await TmuxConsole()
        defer { console.close() }
        try await console.waitFor("CONNECTION STATE")
        await console.send("q")
        try await console.waitFor("EXIT:0")
        #expect(!(await console.screen()).contains("CONNECTION STATE"), "the alternate screen is gone")
    }

    /// Growing the terminal while the console runs made tmux move rows of the store list onto the shell's
    /// screen when the console left the alternate screen.
    @Test(arguments: ["q", "C-c"])
    func quittingAfterResizesLeavesNoRowOnTheShellsScreen(quitKey: String) async throws {
        let console = try await TmuxConsole(width: 120, height: 30, shellLine: "SHELL-BEFORE-CKS")
        defer { console.close() }
        try await console.waitFor("CONNECTION STATE")
        await console.resize(width: 60, height: 20)
        try await console.waitFor { !$0.contains("CLUSTER") && $0.contains("NAME") }
        await console.resize(width: 130, height: 36)
        try await console.waitFor("CREATED")
        await console.send(quitKey)
        try await console.waitFor("EXIT:0")
        let screen = await console.screen()
        #expect(!screen.contains("cks-"), "no row of the store list is left on the shell's screen:\n\(screen)")
        #expect(screen.split(separator: "\n").first == "SHELL-BEFORE-CKS", "the shell's screen is as it was:\n\(screen)")
    }

    @Test func sigtermEndsInOrder() async throws {
        let console = try await TmuxConsole()
        defer { console.close() }
        try await console.waitFor("CONNECTION STATE")
        try console.signalProgram(SIGTERM)
        try await console.waitFor("EXIT:143")
        #expect(!(await console.screen()).contains("CONNECTION STATE"))
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
    /// The shell tmux started in the pane.
    let shellPid: pid_t

    /// `shellLine` is printed on the shell's screen before cks starts, as a prompt would be; `environment` adds
    /// variables to cks's. When cks ends, the pane keeps its last screen and `EXIT:<status>` until `close()`, so
    /// a wait that times out shows how it ended.
    init(width: Int = 120, height: Int = 36, shellLine: String? = nil, environment: [String: String] = [:]) async throws {
        home = FileManager.default.temporaryDirectory.appendingPathComponent("cks-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let before = shellLine.map { "echo '\($0)'; " } ?? ""
        let variables = environment.sorted { $0.key < $1.key }.map { " \($0.key)='\($0.value)'" }.joined()
        let command = before + "env TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 CKS_HOME='\(home.path)' CKS_PACE=demo\(variables) '\(Self.binary!)'; echo EXIT:$?; sleep 3600"
        server = try await TmuxServer(socket: "cks-e2e-\(getpid())-\(UUID().uuidString.prefix(6))",
                                      session: "console-\(UUID().uuidString.prefix(8))", command: command, width: width, height: height)
        guard let pid = try await server.panePid() else { throw Timeout(screen: "no pane") }
        shellPid = pid
    }

    func close() {
        for program in programPids() { kill(program, SIGKILL) }
        kill(shellPid, SIGKILL)
        server.kill()
        try? FileManager.default.removeItem(at: home)
    }

    func screen() async -> String {
        await server.screen()
    }

    func send(_ keys: String...) async {
        await server.send(keys)
    }

    func resize(width: Int, height: Int) async {
        await server.resize(width: width, height: height)
    }

    /// Sends a signal to the program running in the pane.
    func signalProgram(_ signal: Int32) throws {
        guard let program = programPids().first else { throw Timeout(screen: "no program runs in the pane") }
        kill(program, signal)
    }

    /// The programs in the pane: the children of the pane's shell (from /proc, so nothing is spawned).
    func programPids() -> [pid_t] {
        let children = (try? String(contentsOfFile: "/proc/\(shellPid)/task/\(shellPid)/children", encoding: .utf8)) ?? ""
        return children.split(separator: " ").compactMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// Waits until the screen shows `text`, polling tmux; fails after `bound`.
    func waitFor(_ text: String, within bound: Duration = .testWaitBound) async throws {
        try await server.waitFor("the screen to show \(text)", bound: bound) { $0.contains(text) }
    }

    func waitFor(within bound: Duration = .testWaitBound, _ condition: (String) -> Bool) async throws {
        try await server.waitFor("the screen", bound: bound, condition)
    }

    /// Presses j until the selected row (marked ▸) contains `text`; returns that store's name.
    func moveToRow(containing text: String) async throws -> String {
        for _ in 0..<30 {
            let before = await screen()
            if let row = before.split(separator: "\n").first(where: { $0.hasPrefix("▸") }), row.contains(text) {
                return String(row.dropFirst().split(separator: " ").first ?? "")
            }
            await send("j")
            _ = try? await waitFor(within: .seconds(5)) { $0 != before }  // the last row does not move
        }
        throw Timeout(screen: await screen())
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
