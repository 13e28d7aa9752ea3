import CKSTestSupport
import Foundation

/// A detached tmux session on a private server (`tmux -L <socket>`), running one command; killed on close.
final class TmuxSession: Sendable {
    static let tmux = Host.which("tmux")
    let server: TmuxServer

    init(command: String, width: Int = 140, height: Int = 36) throws {
        server = try TmuxServer(socket: "cks-awstests-\(UUID().uuidString.prefix(8))", session: "console",
                                command: command, width: width, height: height)
    }

    func close() {
        server.kill()
    }

    func screen() -> String {
        server.screen()
    }

    func send(_ keys: String...) {
        server.send(keys)
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
}
