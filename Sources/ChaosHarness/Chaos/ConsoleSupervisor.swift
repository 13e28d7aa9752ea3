import CKSTestSupport
import Foundation

/// A console (`cks` with no arguments) in a tmux pane of its own, pressing random keys until the deadline.
/// The pane runs a shell that runs cks and appends its exit status to a file (tmux may show a dead pane before
/// it has reaped the process, and then shows no status at all), so every end is judged: SIGKILL (the killer)
/// and exit status 0 (a `q` pressed) are restarted; any other end is a crash, a problem.
struct ConsoleSupervisor: Sendable {
    /// Keys that move, open menus and confirm, but never type into a form (editing or creating a store would
    /// change its password or cluster, which is not what this run is about).
    static let keys = ["j", "k", "Down", "Up", "g", "G", "PageDown", "PageUp", "Enter", "Escape", "a", "c", "D", "l",
                       "s", "S", "r", "?", "Tab", "h", "Left", "Right", "y", "n", "q"]

    let world: ChaosWorld
    let roster: Roster
    let ledger: ChaosLedger
    let seed: UInt64
    let deadline: Date
    let socket: String

    /// Where the consoles' standard error goes (a crash's message), next to the world.
    var stderrFile: String { world.home.appending(path: "console-stderr.txt").path }
    /// One line per console that ended: its exit status as the shell reports it (128 + signal).
    var statusFile: String { world.home.appending(path: "console-status.txt").path }

    static var isAvailable: Bool { TmuxServer.tmux != nil }

    func run() {
        let environment = world.environment().filter { ["CKS_HOME", "CKS_PACE", "LC_ALL", "TERM", "PATH", "HOME"].contains($0.key) }
        let command = "exec env " + environment.sorted { $0.key < $1.key }.map { "\($0.key)=\(Self.quoted($0.value))" }.joined(separator: " ")
            + " /bin/sh -c " + Self.quoted(#""$0" 2>>"$1"; echo $? >>"$2""#)
            + " " + [world.cks.path, stderrFile, statusFile].map(Self.quoted).joined(separator: " ")
        let tmux: SyncTmux
        do {
            tmux = try SyncTmux(socket: socket, session: "chaos", command: command, width: 120, height: 36)
            try tmux.run(["set-option", "-g", "remain-on-exit", "on"], capture: false)
        } catch {
            ledger.problem("cannot start the console in tmux: \(error)")
            return
        }
        defer { tmux.kill() }
        var generator = SeededGenerator(seed: seed)
        var ended = 0
        var pid = register(tmux)
        while Date() < deadline {
            if paneIsDead(tmux) {
                if let pid { roster.remove(pid) }
                ended += 1
                judgeEnd(number: ended, tmux)
                _ = try? tmux.run(["respawn-pane", "-t", "chaos"], capture: false)
                pid = register(tmux)
                continue
            }
            tmux.send([Self.keys.randomElement(using: &generator)!])
            usleep(UInt32.random(in: 20_000...120_000, using: &generator))
        }
        if let pid { roster.remove(pid) }
    }

    /// The pid of cks: the child of the pane's shell (it appears a moment after the shell).
    private func register(_ tmux: SyncTmux) -> pid_t? {
        guard let shell = try? tmux.panePid() else { return nil }
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline {
            let children = (try? String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)) ?? ""
            if let child = children.split(separator: " ").first.flatMap({ pid_t($0) }) {
                roster.add(child, .console)
                return child
            }
            usleep(10_000)
        }
        return nil
    }

    private func paneIsDead(_ tmux: SyncTmux) -> Bool {
        (try? tmux.run(["display", "-p", "-t", "chaos", "#{pane_dead}"]))?.trimmingCharacters(in: .whitespacesAndNewlines) == "1"
    }

    /// Exit status 0 (quit) or 137 (SIGKILL) is expected; anything else is a crash.
    private func judgeEnd(number: Int, _ tmux: SyncTmux) {
        let lines = ((try? String(contentsOfFile: statusFile, encoding: .utf8)) ?? "").split(separator: "\n")
        guard lines.count >= number, let status = Int(lines[number - 1]) else {
            ledger.problem("console \(number) ended without an exit status (\(lines.count) recorded)")
            return
        }
        if status == 0 || status == 128 + Int(SIGKILL) { return }
        let screen = tmux.screen().split(separator: "\n").suffix(3).joined(separator: " / ")
        let message = ((try? String(contentsOfFile: stderrFile, encoding: .utf8)) ?? "").split(separator: "\n").suffix(2).joined(separator: " / ")
        ledger.problem("the console ended with exit status \(status) (a crash): \(message) — screen: \(screen)")
    }

    static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
