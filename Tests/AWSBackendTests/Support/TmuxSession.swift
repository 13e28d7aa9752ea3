import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A detached tmux session on a private server (`tmux -L <socket>`), running one command; killed on close.
final class TmuxSession: Sendable {
    static let tmux = Host.which("tmux")
    let socket = "cks-awstests-\(UUID().uuidString.prefix(8))"
    let session = "console"

    init(command: String, width: Int = 140, height: Int = 36) throws {
        // The first command starts the tmux server, which would hold a captured pipe open: no capture here.
        _ = try run(["new-session", "-d", "-s", session, "-x", "\(width)", "-y", "\(height)", command], capture: false)
    }

    func close() {
        _ = try? run(["kill-server"], capture: false)
    }

    func screen() -> String {
        (try? run(["capture-pane", "-p", "-t", session])) ?? ""
    }

    func send(_ keys: String...) {
        _ = try? run(["send-keys", "-t", session] + keys, capture: false)
    }

    /// Polls the screen until `condition` holds, at most `bound`.
    func waitFor(_ what: String, within bound: Duration = .seconds(30), _ condition: (String) -> Bool) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: bound)
        while !condition(screen()) {
            guard clock.now < deadline else { throw TimedOut(what: "\(what); screen:\n\(screen())") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// The screen line that mentions `text`.
    func line(containing text: String) -> String? {
        screen().split(separator: "\n").first { $0.contains(text) }.map(String.init)
    }

    private func run(_ arguments: [String], capture: Bool = true) throws -> String {
        try Spawn.run(Self.tmux ?? "/usr/bin/tmux", ["-L", socket] + arguments, capture: capture)
    }
}
