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
    public init(socket: String, session: String, command: String, width: Int, height: Int) async throws {
        self.socket = socket
        self.session = session
        // The first command starts the tmux server, which would hold a captured output open: no capture here.
        try await run(["new-session", "-d", "-s", session, "-x", "\(width)", "-y", "\(height)", command], capture: false)
    }

    private var executable: String { Self.tmux ?? "/usr/bin/tmux" }

    /// Runs `tmux -L <socket> <arguments>`; its standard output when `capture`.
    @discardableResult
    public func run(_ arguments: [String], capture: Bool = true) async throws -> String {
        try await Spawn.run(executable, ["-L", socket] + arguments, capture: capture)
    }

    /// The text of the pane (empty when tmux fails).
    public func screen() async -> String {
        (try? await run(["capture-pane", "-p", "-t", session])) ?? ""
    }

    /// Polls the screen until `condition` holds, at most `bound`; returns that screen. The timeout names `what`
    /// and shows the last screen.
    @discardableResult
    public func waitFor(_ what: String, bound: Duration = .testWaitBound, _ condition: (String) -> Bool) async throws -> String {
        var last = ""
        do {
            return try await poll(what, bound: bound, every: .milliseconds(50)) { () async -> String? in
                last = await screen()
                return condition(last) ? last : nil
            }
        } catch var timeout as WaitTimedOut {
            timeout.last = "\n" + last
            throw timeout
        }
    }

    public func send(_ keys: [String]) async {
        _ = try? await run(["send-keys", "-t", session] + keys, capture: false)
    }

    public func resize(width: Int, height: Int) async {
        _ = try? await run(["resize-window", "-t", session, "-x", "\(width)", "-y", "\(height)"], capture: false)
    }

    /// The pid of the shell tmux started in the pane.
    public func panePid() async throws -> pid_t? {
        pid_t(try await run(["display", "-p", "-t", session, "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Ends the server without waiting for tmux (usable in `defer`).
    public func kill() {
        Spawn.start(executable, ["-L", socket, "kill-server"])
    }
}
