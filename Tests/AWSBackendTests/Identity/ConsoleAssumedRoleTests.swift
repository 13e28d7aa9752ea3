import CKSTestSupport
import Foundation
import Testing

/// The console (`cks --backend aws --profile admin`) in tmux, its credentials an assumed role whose keys last
/// five minutes (inside the ten-minute refresh window, so every request needs fresh ones): the header shows the
/// account from STS, stores keep coming as the role is assumed again, and a refresh STS refuses is told on
/// screen while the console goes on.
@Suite("The console over an assumed role, in tmux", .serialized,
       .enabled(if: TmuxSession.tmux != nil, "tmux is not installed (apt-get install tmux)"),
       .enabled("`cks serve --help` fails: this cks has no serve command") { await CKSBinary.hasServe.value })
struct ConsoleAssumedRoleTests {
    @Test func storesKeepComingAcrossRefreshes() async throws {
        let world = try await ServeWorld.start(authenticated: false)
        let sts = try await IdentityServer.start(lifetime: 300)
        try world.home.write(".aws/config", "[profile admin]\nrole_arn = arn:aws:iam::222233334444:role/admin\nsource_profile = base\n")
        try world.home.write(".aws/credentials", "[base]\naws_access_key_id = AKIABASE\naws_secret_access_key = s\n")
        let environment = world.environment(["AWS_ACCESS_KEY_ID": nil, "AWS_SECRET_ACCESS_KEY": nil, "AWS_ENDPOINT_URL_STS": sts.url,
                                             "AWS_EC2_METADATA_DISABLED": "true"])
            .map { "\($0.key)='\($0.value)'" }.sorted().joined(separator: " ")
        let console = try await TmuxSession(command: "env -i \(environment) TERM=xterm-256color \(CKSBinary.path) --backend aws "
                                      + "--profile admin --endpoint-url \(world.url)")
        defer { console.close() }
        try await console.waitFor("the store table") { $0.contains("CONNECTION STATE") && $0.contains("ledger-archive") }
        let screen = await console.screen()
        #expect(TmuxSession.line(containing: "Custom key stores", in: screen)?.contains("222233334444") == true,
                "the header's account comes from GetCallerIdentity: \(screen)")

        for round in 1...3 {
            let before = try await sts.counts()["AssumeRole"] ?? 0
            await console.send("r")
            try await eventually("AssumeRole again, round \(round)") { ((try? await sts.counts()["AssumeRole"]) ?? 0) > before }
            try await console.waitFor("the stores after round \(round)") { $0.contains("ledger-archive") }
        }

        try await sts.fail("AssumeRole")
        await console.send("r")
        // The next poll (every 30 s while nothing moves) tells it in the log; the keys in hand still work.
        try await console.waitFor("the refused refresh in the log", within: .seconds(90)) {
            $0.contains("Credentials could not be refreshed; the current ones work until they expire")
        }
        #expect(await console.screen().contains("ledger-archive"), "the console goes on")

        try await sts.heal()
        await console.send("r")
        let healed = try await sts.counts()["AssumeRole"] ?? 0
        try await eventually("AssumeRole after the heal") { ((try? await sts.counts()["AssumeRole"]) ?? 0) > healed }
        try await console.waitFor("the stores again") { $0.contains("ledger-archive") }
        await console.send("q")
    }
}
