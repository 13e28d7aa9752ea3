import Foundation
import Testing

/// The console (`cks --backend aws --endpoint-url`) in tmux against a real `cks serve`: the same stores,
/// a connect from the actions menu followed by polls to CONNECTED, and `R` switching Region.
@Suite("The console on --backend aws, in tmux", .serialized,
       .enabled(if: TmuxSession.tmux != nil, "tmux is not installed (apt-get install tmux)"),
       .enabled("`cks serve --help` fails: this cks has no serve command") { await CKSBinary.hasServe.value })
struct ConsoleOverAWSTests {
    @Test func connectFromTheActionsMenu() async throws {
        let world = try await ServeWorld.start(pace: "demo")
        let environment = world.environment().map { "\($0.key)=\(shellQuoted($0.value))" }.sorted().joined(separator: " ")
        let console = try await TmuxSession(command: "env -i \(environment) TERM=xterm-256color \(CKSBinary.path) --backend aws --endpoint-url \(world.url)")
        defer { console.close() }
        try await console.waitFor("the store table") { $0.contains("CONNECTION STATE") && $0.contains("ledger-archive") }
        #expect(await console.screen().contains("aws · \(world.region)"), "the header names the backend and Region")

        var screen = await console.screen()
        for _ in 0..<10 where !(TmuxSession.line(containing: "▸", in: screen)?.contains("ledger-archive") ?? false) {
            await console.send("j")
            let before = screen
            screen = try await console.waitFor("the selection to move") { $0 != before }
        }
        #expect(TmuxSession.line(containing: "▸", in: screen)?.contains("ledger-archive") == true, "\(screen)")
        await console.send("a")
        try await console.waitFor("the actions menu") { $0.contains("Key store actions") }
        await console.send("c")
        try await console.waitFor("CONNECTING from a poll") {
            TmuxSession.line(containing: "ledger-archive", in: $0)?.contains("CONNECTING") == true
        }
        try await console.waitFor("CONNECTED") {
            TmuxSession.line(containing: "ledger-archive  ", in: $0)?.contains("● CONNECTED") == true
        }
        // The connect's events can scroll its aws command out of the log's view: focus the log, go to its oldest.
        await console.send("Tab")
        await console.send("g")
        try await console.waitFor("the connect's aws command in the log") {
            $0.contains("connect-custom-key-store --custom-key-store-id cks-3c4d5e6f708192a3b --endpoint-url")
        }
        await console.send("Escape")
        await console.send("q")
    }

    @Test func rSwitchesRegionAndTheHeaderFollows() async throws {
        let world = try await ServeWorld.start()
        let console = try await TmuxSession(command: consoleCommand(world))
        defer { console.close() }
        try await console.waitFor("the store table") { $0.contains("CONNECTION STATE") && $0.contains("ledger-archive") }
        #expect(await console.line(containing: "Custom key stores")?.contains("aws · \(world.region)") == true)
        #expect(await console.screen().contains("R region"), "the key is shown where it works")

        await console.send("R")
        try await console.waitFor("the Region picker") { $0.contains("Switch Region · aws") }
        #expect(await console.line(containing: "current")?.contains("● \(world.region)") == true, "the current Region is marked")
        #expect(await console.screen().contains("Every Region goes to \(world.url)"))
        await console.send("eu-west-1")
        try await console.waitFor("the filtered list") { $0.contains("1 of 1") }
        await console.send("Enter")
        try await console.waitFor("the header in eu-west-1") {
            $0.split(separator: "\n").first?.contains("aws · eu-west-1") == true && $0.contains("ledger-archive")
        }
        #expect(await console.screen().contains("Switched Region: \(world.region) → eu-west-1"))
        #expect(await console.screen().contains("describe-custom-key-stores --endpoint-url \(world.url) --region eu-west-1"),
                "the log's aws commands name the Region")

        await console.send(":region \(world.region)", "Enter")
        try await console.waitFor("the header back in \(world.region)") {
            $0.split(separator: "\n").first?.contains("aws · \(world.region)") == true
        }
        await console.send("q")
    }

    private func consoleCommand(_ world: ServeWorld) -> String {
        let environment = world.environment().map { "\($0.key)=\(shellQuoted($0.value))" }.sorted().joined(separator: " ")
        return "env -i \(environment) TERM=xterm-256color \(CKSBinary.path) --backend aws --endpoint-url \(world.url)"
    }

    private func shellQuoted(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
