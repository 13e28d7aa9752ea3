import Foundation

/// A detached tmux session on a private tmux server (`tmux -L <socket>`), driven with `Spawn` (never
/// Foundation's Process, which hangs with tmux). `kill()` ends the server and what runs in it.
public final class TmuxServer: Sendable {
    /// tmux on PATH or in the usual places.
    public static let tmux: String? = Executables.onPath("tmux")
        ?? ["/usr/bin/tmux", "/usr/local/bin/tmux", "/opt/homebrew/bin/tmux"].first { Executables.isExecutableFile($0) }

    public let socket: String
    public let session: String

    /// Starts the server with one session running `command` (a shell command line) in a window of the size.
    public init(socket: String, session: String, command: String, width: Int, height: Int) throws {
        self.socket = socket
        self.session = session
        // The first command starts the tmux server, which would hold a captured output open: no capture here.
        try run(["new-session", "-d", "-s", session, "-x", "\(width)", "-y", "\(height)", command], capture: false)
    }

    /// Runs `tmux -L <socket> <arguments>`; its standard output when `capture`.
    @discardableResult
    public func run(_ arguments: [String], capture: Bool = true) throws -> String {
        try Spawn.run(Self.tmux ?? "/usr/bin/tmux", ["-L", socket] + arguments, capture: capture)
    }

    /// The text of the pane (empty when tmux fails).
    public func screen() -> String {
        (try? run(["capture-pane", "-p", "-t", session])) ?? ""
    }

    public func send(_ keys: [String]) {
        _ = try? run(["send-keys", "-t", session] + keys, capture: false)
    }

    public func resize(width: Int, height: Int) {
        _ = try? run(["resize-window", "-t", session, "-x", "\(width)", "-y", "\(height)"], capture: false)
    }

    /// The pid of the shell tmux started in the pane.
    public func panePid() throws -> pid_t? {
        pid_t(try run(["display", "-p", "-t", session, "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    public func kill() {
        _ = try? run(["kill-server"], capture: false)
    }
}
