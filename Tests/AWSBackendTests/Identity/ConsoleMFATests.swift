import CKSTestSupport
import Foundation
import Testing

/// The console (`cks --backend aws --profile admin`) in tmux over a role with `mfa_serial`: the code is asked in
/// the console's own prompt at start and again when a refresh needs a new one (the role's keys last a little
/// over the ten-minute refresh window); a wrong code shows in the header as a refresh failing while the keys in
/// hand last, and the header recovers once a right code is given.
@Suite("The console asks for MFA codes in a prompt, in tmux", .serialized,
       .enabled(if: TmuxSession.tmux != nil, "tmux is not installed (apt-get install tmux)"),
       .enabled("`cks serve --help` fails: this cks has no serve command") { await CKSBinary.hasServe.value })
struct ConsoleMFATests {
    static let serial = "arn:aws:iam::111122223333:mfa/me"

    @Test func codesAreAskedInThePromptAtStartAndOnRefresh() async throws {
        let world = try await ServeWorld.start(authenticated: false)
        let sts = try await IdentityServer.start(lifetime: 615)
        try world.home.write(".aws/config", """
            [profile admin]
            role_arn = arn:aws:iam::222233334444:role/admin
            source_profile = base
            mfa_serial = \(Self.serial)

            """)
        try world.home.write(".aws/credentials", "[base]\naws_access_key_id = AKIABASE\naws_secret_access_key = s\n")
        let environment = world.environment(["AWS_ACCESS_KEY_ID": nil, "AWS_SECRET_ACCESS_KEY": nil, "AWS_ENDPOINT_URL_STS": sts.url,
                                             "AWS_EC2_METADATA_DISABLED": "true"])
            .map { "\($0.key)='\($0.value)'" }.sorted().joined(separator: " ")
        let console = try await TmuxSession(command: "env -i \(environment) TERM=xterm-256color \(CKSBinary.path) --backend aws "
                                      + "--profile admin --endpoint-url \(world.url)")
        defer { console.close() }

        let prompt = "Enter MFA code for \(Self.serial):"
        try await console.waitFor("the MFA prompt at start") { $0.contains(prompt) && $0.contains("Profile admin") }
        #expect(try await sts.counts()["AssumeRole"] == nil, "nothing assumed before the code is given")
        await console.send("123456")
        await console.send("Enter")
        try await console.waitFor("the store table with the role's account") { screen in
            screen.contains("ledger-archive") && !screen.contains(prompt)
                && TmuxSession.line(containing: "Custom key stores", in: screen)?.contains("222233334444") == true
        }
        #expect(try await sts.counts()["AssumeRole"] == 1)

        // Fifteen seconds on, the keys are within ten minutes of their end: the next poll needs a new code.
        try await console.waitFor("the MFA prompt for a refresh", within: .seconds(120)) { $0.contains(prompt) }
        await console.send("000000")
        await console.send("Enter")
        let failing = try await console.waitFor("the failing refresh in the header") { screen in
            TmuxSession.line(containing: "Custom key stores", in: screen)?.contains("credentials not refreshing") == true
        }
        #expect(failing.contains("ledger-archive"), "the console goes on with the keys in hand")
        try await console.waitFor("the failing refresh in the log") {
            $0.contains("Credentials could not be refreshed; the current ones work until they expire")
        }

        await console.send("r")
        try await console.waitFor("the MFA prompt again") { $0.contains(prompt) }
        await console.send("123456")
        await console.send("Enter")
        try await console.waitFor("the header recovered") { screen in
            guard let header = TmuxSession.line(containing: "Custom key stores", in: screen) else { return false }
            return !screen.contains(prompt) && !header.contains("credentials") && header.contains("222233334444")
        }
        #expect(try await sts.counts()["AssumeRole"] == 3, "one AssumeRole per code given")
        await console.send("q")
    }
}
