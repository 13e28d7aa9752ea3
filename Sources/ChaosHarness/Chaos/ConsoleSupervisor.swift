import CKSTestSupport
import Foundation

/// A console (`cks` with no arguments) in a tmux pane of its own, pressing random keys until the deadline.
/// The pane stays when cks ends (`remain-on-exit`), so its end is visible: SIGKILL (the killer) and a clean
/// exit (a `q` pressed) are restarted; any other end is a crash, a problem.
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

    static var isAvailable: Bool { TmuxServer.tmux != nil }

    func run() {
        let environment = world.environment().filter { ["CKS_HOME", "CKS_PACE", "LC_ALL", "TERM", "PATH", "HOME"].contains($0.key) }
        let command = "exec env " + environment.sorted { $0.key < $1.key }.map { "\($0.key)=\(Self.quoted($0.value))" }.joined(separator: " ")
            + " " + Self.quoted(world.cks.path)
        let tmux: TmuxServer
        do {
            tmux = try TmuxServer(socket: socket, session: "chaos", command: command, width: 120, height: 36)
            try tmux.run(["set-option", "-g", "remain-on-exit", "on"], capture: false)
        } catch {
            ledger.problem("cannot start the console in tmux: \(error)")
            return
        }
        defer { tmux.kill() }
        var generator = SeededGenerator(seed: seed)
        var pid = register(tmux)
        while Date() < deadline {
            if paneIsDead(tmux) {
                if let pid { roster.remove(pid) }
                judgeEnd(tmux)
                _ = try? tmux.run(["respawn-pane", "-t", "chaos"], capture: false)
                pid = register(tmux)
                continue
            }
            tmux.send([Self.keys.randomElement(using: &generator)!])
            usleep(UInt32.random(in: 20_000...120_000, using: &generator))
        }
        if let pid { roster.remove(pid) }
        if paneIsDead(tmux) { judgeEnd(tmux) }
    }

    private func register(_ tmux: TmuxServer) -> pid_t? {
        guard let pid = try? tmux.panePid() else { return nil }
        roster.add(pid, .console)
        return pid
    }

    private func paneIsDead(_ tmux: TmuxServer) -> Bool {
        (try? tmux.run(["display", "-p", "-t", "chaos", "#{pane_dead}"]))?.trimmingCharacters(in: .whitespacesAndNewlines) == "1"
    }

    /// A SIGKILL or exit status 0 is expected; anything else is a crash.
    private func judgeEnd(_ tmux: TmuxServer) {
        let fields = ((try? tmux.run(["display", "-p", "-t", "chaos", "#{pane_dead_status} #{pane_dead_signal}"])) ?? "")
            .trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ").map(String.init)
        let status = fields.first.flatMap { Int($0) }
        let signal = fields.count > 1 ? Int(fields[1]) : nil
        if signal == Int(SIGKILL) || (signal == nil && status == 0) { return }
        let screen = tmux.screen().split(separator: "\n").suffix(4).joined(separator: " / ")
        ledger.problem("the console ended with status \(status.map(String.init) ?? "?") signal \(signal.map(String.init) ?? "none"): \(screen)")
    }

    static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
