import AWSBackend
import Foundation
import Synchronization
import Testing

@Suite("credential_process")
struct CredentialProcessTests {
    /// A script printing credentials that expire at `expiration` and counting its runs in a file beside it.
    func script(in home: TempHome, expiration: String?, version: Int = 1, exit status: Int = 0) throws -> String {
        let counter = home.path + "/runs"
        let expiry = expiration.map { #", "Expiration": "\#($0)""# } ?? ""
        return try home.write("bin/creds", """
            #!/bin/sh
            echo run >> \(counter)
            if [ \(status) -ne 0 ]; then echo "no session: run aws sso login" >&2; exit \(status); fi
            echo '{"Version": \(version), "AccessKeyId": "AKPROC", "SecretAccessKey": "procsecret", "SessionToken": "proctoken"\(expiry)}'
            """, executable: true)
    }

    func runs(_ home: TempHome) -> Int {
        (try? String(contentsOfFile: home.path + "/runs", encoding: .utf8))?.split(separator: "\n").count ?? 0
    }

    @Test func runsTheProcessWithArgumentsAndReadsItsJSON() async throws {
        let home = try TempHome()
        let path = try script(in: home, expiration: nil)
        try home.write(".aws/config", "[profile p]\nregion = us-east-1\ncredential_process = \(path) --profile 'with space'\n")
        let settings = try AWSSettings.resolve(AWSOverrides(profile: "p"), environment: home.environment())
        let provider = CredentialsProvider(source: settings.credentials, environment: home.environment())
        let credentials = try await provider.credentials()
        #expect(credentials.accessKeyId == "AKPROC")
        #expect(credentials.secretAccessKey == "procsecret")
        #expect(credentials.sessionToken == "proctoken")
        _ = try await provider.credentials()
        #expect(runs(home) == 1, "credentials without Expiration are kept")
    }

    @Test func honoursExpiration() async throws {
        let home = try TempHome()
        let path = try script(in: home, expiration: "2025-10-09T09:00:00Z")
        let now = Mutex(ISO8601DateFormatter().date(from: "2025-10-09T08:00:00Z")!)
        let provider = CredentialsProvider(source: .process(CredentialProcess(command: path, profile: "p")),
                                           environment: home.environment(), now: { now.withLock { $0 } })
        _ = try await provider.credentials()
        _ = try await provider.credentials()
        #expect(runs(home) == 1, "an hour before expiry the cached keys serve")
        now.withLock { $0 = ISO8601DateFormatter().date(from: "2025-10-09T08:55:00Z")! }
        _ = try await provider.credentials()
        #expect(runs(home) == 2, "within ten minutes of expiry the process runs again")
    }

    @Test func concurrentRequestsShareOneRun() async throws {
        let home = try TempHome()
        let path = try script(in: home, expiration: nil)
        let provider = CredentialsProvider(source: .process(CredentialProcess(command: path, profile: "p")), environment: home.environment())
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 { group.addTask { _ = try await provider.credentials() } }
            try await group.waitForAll()
        }
        #expect(runs(home) == 1)
    }

    @Test func failuresSayWhy() async throws {
        let home = try TempHome()
        let failing = try script(in: home, expiration: nil, exit: 3)
        await expectFailure(CredentialProcess(command: failing, profile: "p"), home, mentioning: ["status 3", "aws sso login", "profile p"])
        let version2 = try TempHome()
        await expectFailure(CredentialProcess(command: try script(in: version2, expiration: nil, version: 2), profile: "p"), version2,
                            mentioning: ["Version 2"])
        await expectFailure(CredentialProcess(command: "no-such-program-cks", profile: "p"), home, mentioning: ["not found on PATH"])
        await expectFailure(CredentialProcess(command: "/bin/echo 'unclosed", profile: "p"), home, mentioning: ["unclosed quote"])
        let notJSON = try home.write("bin/text", "#!/bin/sh\necho hello\n", executable: true)
        await expectFailure(CredentialProcess(command: notJSON, profile: "p"), home, mentioning: ["not a JSON object"])
    }

    @Test func parsesExpirationForms() throws {
        let process = CredentialProcess(command: "x", profile: "p")
        for text in ["2025-10-09T09:00:00Z", "2025-10-09T09:00:00.123Z", "2025-10-09T11:00:00+02:00"] {
            let output = try process.parse(Data(#"{"Version":1,"AccessKeyId":"A","SecretAccessKey":"S","Expiration":"\#(text)"}"#.utf8))
            #expect(abs((output.expiration?.timeIntervalSince1970 ?? 0) - 1_760_000_400) < 1, "\(text)")
        }
        #expect(throws: AWSConfigurationError.self) {
            try process.parse(Data(#"{"Version":1,"AccessKeyId":"A","SecretAccessKey":"S","Expiration":"tomorrow"}"#.utf8))
        }
        #expect(throws: AWSConfigurationError.self) { try process.parse(Data(#"{"Version":1,"SecretAccessKey":"S"}"#.utf8)) }
    }

    private func expectFailure(_ process: CredentialProcess, _ home: TempHome, mentioning fragments: [String]) async {
        do {
            _ = try await process.run(environment: home.environment())
            Issue.record("\(process.command) should have failed")
        } catch {
            #expect(error.kind == .credentialProcess)
            for fragment in fragments { #expect(error.message.contains(fragment), "\(error.message)") }
        }
    }
}
