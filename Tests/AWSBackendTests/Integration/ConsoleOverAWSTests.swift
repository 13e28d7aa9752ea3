import Foundation
import Testing

/// The console (`cks --backend aws --endpoint-url`) in tmux against a real `cks serve`: the same stores,
/// a connect from the actions menu followed by polls to CONNECTED.
@Suite("The console on --backend aws, in tmux", .serialized,
       .enabled(if: TmuxSession.tmux != nil, "tmux is not installed (apt-get install tmux)"),
       .enabled(if: CKSBinary.hasServe, "`cks serve --help` fails: this cks has no serve command"))
struct ConsoleOverAWSTests {
    @Test func connectFromTheActionsMenu() async throws {
        let world = try await ServeWorld.start(pace: "demo")
        let environment = world.environment().map { "\($0.key)=\(shellQuoted($0.value))" }.sorted().joined(separator: " ")
        let console = try TmuxSession(command: "env -i \(environment) TERM=xterm-256color \(CKSBinary.path) --backend aws --endpoint-url \(world.url)")
        defer { console.close() }
        try await console.waitFor("the store table") { $0.contains("CONNECTION STATE") && $0.contains("ledger-archive") }
        #expect(console.screen().contains("aws · \(world.region)"), "the header names the backend and Region")

        for _ in 0..<10 where !(console.line(containing: "▸")?.contains("ledger-archive") ?? false) {
            console.send("j")
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(console.line(containing: "▸")?.contains("ledger-archive") == true, "\(console.screen())")
        console.send("a")
        try await console.waitFor("the actions menu") { $0.contains("Key store actions") }
        console.send("c")
        try await console.waitFor("CONNECTING from a poll") {
            _ = $0
            return console.line(containing: "ledger-archive")?.contains("CONNECTING") == true
        }
        try await console.waitFor("CONNECTED", within: .seconds(40)) { _ in
            console.line(containing: "ledger-archive  ")?.contains("● CONNECTED") == true
        }
        #expect(console.screen().contains("connect-custom-key-store --custom-key-store-id cks-3c4d5e6f708192a3b --endpoint-url"))
        console.send("q")
    }

    private func shellQuoted(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
