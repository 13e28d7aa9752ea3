import CKSTestSupport
import Foundation

/// A detached tmux session on a private server (`tmux -L <socket>`), running one command; killed on close.
final class TmuxSession: Sendable {
    static let tmux = Host.which("tmux")
    let server: TmuxServer

    init(command: String, width: Int = 140, height: Int = 36) async throws {
        server = try await TmuxServer(socket: "cks-awstests-\(UUID().uuidString.prefix(8))", session: "console",
                                      command: command, width: width, height: height)
    }

    func close() {
        server.kill()
    }

    func screen() async -> String {
        await server.screen()
    }

    func send(_ keys: String...) async {
        await server.send(keys)
    }

    /// Polls the screen until `condition` holds, at most `bound`; returns that screen.
    @discardableResult
    func waitFor(_ what: String, within bound: Duration = .testWaitBound, _ condition: (String) -> Bool) async throws -> String {
        try await server.waitFor(what, bound: bound, condition)
    }

    /// The screen line that mentions `text`.
    func line(containing text: String) async -> String? {
        Self.line(containing: text, in: await screen())
    }

    /// The line of `screen` that mentions `text`.
    static func line(containing text: String, in screen: String) -> String? {
        screen.split(separator: "\n").first { $0.contains(text) }.map(String.init)
    }
}
