import Foundation
import Testing

/// The console (`cks --backend aws --endpoint-url`) in tmux against a real `cks serve`: the same stores,
/// a connect from the actions menu followed by polls to CONNECTED, and `R` switching Region.
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

    @Test func rSwitchesRegionAndTheHeaderFollows() async throws {
        let world = try await ServeWorld.start()
        let console = try TmuxSession(command: consoleCommand(world))
        defer { console.close() }
        try await console.waitFor("the store table") { $0.contains("CONNECTION STATE") && $0.contains("ledger-archive") }
        #expect(console.line(containing: "Custom key stores")?.contains("aws · \(world.region)") == true)
        #expect(console.screen().contains("R region"), "the key is shown where it works")

        console.send("R")
        try await console.waitFor("the Region picker") { $0.contains("Switch Region · aws") }
        #expect(console.line(containing: "current")?.contains("● \(world.region)") == true, "the current Region is marked")
        #expect(console.screen().contains("Every Region goes to \(world.url)"))
        console.send("eu-west-1")
        try await console.waitFor("the filtered list") { $0.contains("1 of 1") }
        console.send("Enter")
        try await console.waitFor("the header in eu-west-1") {
            $0.split(separator: "\n").first?.contains("aws · eu-west-1") == true && $0.contains("ledger-archive")
        }
        #expect(console.screen().contains("Switched Region: \(world.region) → eu-west-1"))
        #expect(console.screen().contains("describe-custom-key-stores --endpoint-url \(world.url) --region eu-west-1"),
                "the log's aws commands name the Region")

        console.send(":region \(world.region)", "Enter")
        try await console.waitFor("the header back in \(world.region)") {
            $0.split(separator: "\n").first?.contains("aws · \(world.region)") == true
        }
        console.send("q")
    }

    private func consoleCommand(_ world: ServeWorld) -> String {
        let environment = world.environment().map { "\($0.key)=\(shellQuoted($0.value))" }.sorted().joined(separator: " ")
        return "env -i \(environment) TERM=xterm-256color \(CKSBinary.path) --backend aws --endpoint-url \(world.url)"
    }

    private func shellQuoted(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
