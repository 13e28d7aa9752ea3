import AWSBackend
import CKSTestSupport
import Foundation
import Testing

/// The aws CLI's cache of assumed-role credentials (`~/.aws/cli/cache`), shared with botocore as the CLI sets it
/// up (`JSONFileCache` on the assume-role provider): the same profile gives the same file name on both sides,
/// cks reads the CLI's entry (no AssumeRole call, no MFA code asked), and botocore reads the entry cks wrote.
@Suite("The aws CLI's role cache, shared with botocore", .serialized,
       .enabled("python3 with botocore is not installed") { await Botocore.available.value })
struct CLICacheParityTests {
    static let base = "[base]\naws_access_key_id = AKIABASE\naws_secret_access_key = s\n"

    /// Profiles whose AssumeRole arguments differ in every way the key hashes (a chain caches each of its roles).
    static let profiles: [(name: String, config: String)] = [
        ("plain", "[profile plain]\nrole_arn = arn:aws:iam::222233334444:role/plain\nsource_profile = base\n"),
        ("audited", """
            [profile audited]
            role_arn = arn:aws:iam::222233334444:role/audited
            source_profile = base
            external_id = ext-café-ü
            duration_seconds = 1800
            role_session_name = cks-tests
            """),
        ("mfa", "[profile mfa]\nrole_arn = arn:aws:iam::222233334444:role/mfa\nsource_profile = base\nmfa_serial = arn:aws:iam::111122223333:mfa/me\n"),
        ("top", """
            [profile top]
            role_arn = arn:aws:iam::333344445555:role/top
            source_profile = middle
            [profile middle]
            role_arn = arn:aws:iam::222233334444:role/middle
            source_profile = base
            external_id = ext-middle
            """),
    ]

    @Test(arguments: profiles.map(\.name))
    func sameFileNames(_ profile: String) async throws {
        let server = try await IdentityServer.start()
        let config = Self.profiles.first { $0.name == profile }!.config
        let cksHome = try TempHome(config: config, credentials: Self.base)
        let botocoreHome = try TempHome(config: config, credentials: Self.base)
        let cks = try await runCKS(profile, cksHome, server)
        let botocore = try await runBotocore(profile, botocoreHome, server)
        #expect(botocore.asked == (profile == "mfa" ? 1 : 0))
        #expect(cks.accessKey == botocore.accessKey)
        let expected = profile == "top" ? 2 : 1
        #expect(Self.cacheFiles(botocoreHome).count == expected, "botocore: \(Self.cacheFiles(botocoreHome))")
        #expect(Self.cacheFiles(cksHome) == Self.cacheFiles(botocoreHome), "the same file names")
    }

    @Test func cksReadsTheEntryTheCLIWrote() async throws {
        let server = try await IdentityServer.start()
        let home = try TempHome(config: Self.profiles.first { $0.name == "mfa" }!.config, credentials: Self.base)
        let botocore = try await runBotocore("mfa", home, server)
        #expect(botocore.asked == 1)
        #expect(try await server.counts()["AssumeRole"] == 1)
        let cks = try await runCKS("mfa", home, server)
        #expect(cks.accessKey == botocore.accessKey, "the CLI's session")
        #expect(cks.asked == 0, "no MFA code asked: the CLI has a fresh session")
        #expect(try await server.counts()["AssumeRole"] == 1, "no AssumeRole call")
        #expect(cks.accountId == "222233334444")
    }

    @Test func theCLIReadsTheEntryCKSWrote() async throws {
        let server = try await IdentityServer.start()
        let home = try TempHome(config: Self.profiles.map(\.config).joined(separator: "\n"), credentials: Self.base)
        for profile in ["mfa", "audited", "top"] {
            let before = try await server.counts()["AssumeRole"] ?? 0
            let cks = try await runCKS(profile, home, server)
            let calls = try await server.counts()["AssumeRole"] ?? 0
            #expect(calls > before)
            let botocore = try await runBotocore(profile, home, server)
            #expect(botocore.accessKey == cks.accessKey, "\(profile): botocore uses cks's session")
            #expect(botocore.asked == 0, "\(profile): no MFA code asked")
            #expect(try await server.counts()["AssumeRole"] == calls, "\(profile): no AssumeRole call")
        }
    }

    @Test func anEntryWithinFifteenMinutesOfItsEndIsNotUsed() async throws {
        let server = try await IdentityServer.start(lifetime: 840)
        let home = try TempHome(config: Self.profiles.first { $0.name == "plain" }!.config, credentials: Self.base)
        _ = try await runBotocore("plain", home, server)
        _ = try await runCKS("plain", home, server)
        #expect(try await server.counts()["AssumeRole"] == 2, "fourteen minutes left: botocore's window says assume again")
        _ = try await runBotocore("plain", home, server)
        #expect(try await server.counts()["AssumeRole"] == 3)
    }

    @Test func webIdentitySessionsAreSharedToo() async throws {
        let server = try await IdentityServer.start()
        func home() throws -> TempHome {
            let home = try TempHome()
            try home.write("token", "the-web-identity-token")
            try home.write(".aws/config", """
                [profile web]
                role_arn = arn:aws:iam::222233334444:role/web
                web_identity_token_file = \(home.path)/token
                role_session_name = web-session

                """)
            return home
        }
        let cksHome = try home()
        let botocoreHome = try home()
        let cks = try await runCKS("web", cksHome, server)
        let botocore = try await runBotocore("web", botocoreHome, server)
        #expect(cks.accessKey == botocore.accessKey)
        #expect(Self.cacheFiles(botocoreHome).count == 1)
        #expect(Self.cacheFiles(cksHome) == Self.cacheFiles(botocoreHome), "the same file name")
        #expect(try await server.counts()["AssumeRoleWithWebIdentity"] == 2)
        _ = try await runCKS("web", botocoreHome, server)
        _ = try await runBotocore("web", cksHome, server)
        #expect(try await server.counts()["AssumeRoleWithWebIdentity"] == 2, "each side read the other's entry")
    }

    // MARK: Each side

    struct Outcome {
        var accessKey: String?
        var accountId: String?
        var asked = 0
    }

    static func cacheFiles(_ home: TempHome) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: home.path + "/.aws/cli/cache")) ?? []).sorted()
    }

    private func runCKS(_ profile: String, _ home: TempHome, _ server: IdentityServer) async throws -> Outcome {
        let environment = home.environment(["AWS_DEFAULT_REGION": "us-east-1", "AWS_ENDPOINT_URL_STS": server.url])
        let settings = try AWSSettings.resolve(AWSOverrides(profile: profile), environment: environment)
        let asked = Counter()
        let provider = CredentialsProvider(source: settings.credentials, environment: environment, mfaPrompt: { _ in
            await asked.increment()
            return "123456"
        })
        let credentials = try await provider.current()
        return Outcome(accessKey: credentials.credentials.accessKeyId, accountId: credentials.accountId, asked: await asked.value)
    }

    private func runBotocore(_ profile: String, _ home: TempHome, _ server: IdentityServer) async throws -> Outcome {
        let environment = ["HOME": home.path, "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
                           "AWS_DEFAULT_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true", "AWS_ENDPOINT_URL_STS": server.url]
        let result = try await ChildProcess.run(Host.which("python3")!, ["-c", Self.botocoreScript, profile], environment: environment)
        guard let line = result.stdout.split(separator: "\n").last,
              let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            Issue.record("botocore printed no answer: \(result)")
            return Outcome()
        }
        return Outcome(accessKey: object["accessKey"] as? String, asked: object["asked"] as? Int ?? -1)
    }

    /// botocore with the cache the aws CLI gives its assume-role and web identity providers (`awscli.customizations.assumerole`);
    /// the MFA prompt answers 123456 and counts how often it was asked.
    static let botocoreScript = """
        import getpass, json, os, sys
        asked = []
        def ask(prompt=""):
            asked.append(prompt)
            return "123456"
        getpass.getpass = ask
        import botocore.session
        from botocore.utils import JSONFileCache
        session = botocore.session.Session(profile=sys.argv[1])
        provider = session.get_component("credential_provider").get_provider("assume-role")
        provider.cache = JSONFileCache(os.path.expanduser(os.path.join("~", ".aws", "cli", "cache")))
        web = session.get_component("credential_provider").get_provider("assume-role-with-web-identity")
        web.cache = JSONFileCache(os.path.expanduser(os.path.join("~", ".aws", "cli", "cache")))
        frozen = session.get_credentials().get_frozen_credentials()
        print(json.dumps({"accessKey": frozen.access_key, "asked": len(asked)}))
        """

    actor Counter {
        var value = 0
        func increment() { value += 1 }
    }
}
