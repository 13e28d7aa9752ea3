import AWSBackend
import CKSTestSupport
import Foundation
import Testing

/// Each source on its own against the loopback identity server: what goes over the wire and what a person
/// reads when it fails.
@Suite("Credential sources on the wire", .serialized)
struct IdentitySourcesTests {
    static let ssoConfig = """
        [profile dev]
        sso_session = corp
        sso_account_id = 444455556666
        sso_role_name = Developer
        region = us-east-1
        [sso-session corp]
        sso_start_url = https://corp.awsapps.com/start
        sso_region = us-east-1
        """

    func resolve(_ home: TempHome, _ variables: [String: String], profile: String? = nil) throws -> (AWSSettings, AWSEnvironment) {
        let environment = home.environment(variables.merging(["AWS_DEFAULT_REGION": "us-east-1"]) { a, _ in a })
        return (try AWSSettings.resolve(AWSOverrides(profile: profile), environment: environment), environment)
    }

    func endpoints(_ server: IdentityServer) -> [String: String] {
        ["AWS_ENDPOINT_URL_STS": server.url, "AWS_ENDPOINT_URL_SSO": server.url, "AWS_ENDPOINT_URL_SSO_OIDC": server.url]
    }

    @Test func anExpiredOrMissingSSOTokenSaysToLogIn() async throws {
        let server = try await ParityServer.shared()
        let home = try TempHome(config: Self.ssoConfig)
        let (settings, environment) = try resolve(home, endpoints(server), profile: "dev")
        guard case let .singleSignOn(sso) = settings.credentials else { Issue.record("\(settings.credentials)"); return }
        #expect(sso.tokenCachePath == home.path + "/.aws/sso/cache/\(SHA1.hex("corp")).json")

        let missing = await #expect(throws: AWSConfigurationError.self) {
            try await CredentialsProvider(source: settings.credentials, environment: environment).current()
        }
        #expect(missing?.kind == .ssoLoginNeeded)
        #expect(missing?.message.contains("run `aws sso login --profile dev`") == true, "\(missing?.message ?? "")")

        try home.write(".aws/sso/cache/\(SHA1.hex("corp")).json", #"{"accessToken": "a", "expiresAt": "2020-01-01T00:00:00Z"}"#)
        let expired = await #expect(throws: AWSConfigurationError.self) {
            try await CredentialsProvider(source: settings.credentials, environment: environment).current()
        }
        #expect(expired?.message.contains("run `aws sso login --profile dev`") == true)

        try home.write(".aws/sso/cache/\(SHA1.hex("corp")).json", #"{"accessToken": "expired-on-the-server", "expiresAt": "2099-01-01T00:00:00Z"}"#)
        let refused = await #expect(throws: AWSConfigurationError.self) {
            try await CredentialsProvider(source: settings.credentials, environment: environment).current()
        }
        #expect(refused?.message.contains("run `aws sso login --profile dev`") == true, "the portal's 401 means the same")
    }

    @Test func aRefreshedSSOTokenIsWrittenBackForTheAWSCLI() async throws {
        let server = try await IdentityServer.start()
        let home = try TempHome(config: Self.ssoConfig)
        let soon = ISO8601DateFormatter().string(from: Date().addingTimeInterval(120))
        let path = try home.write(".aws/sso/cache/\(SHA1.hex("corp")).json", """
            {"accessToken": "old", "expiresAt": "\(soon)", "refreshToken": "refresh-1", "clientId": "c", "clientSecret": "s",
             "registrationExpiresAt": "2099-01-01T00:00:00Z", "region": "us-east-1", "startUrl": "https://corp.awsapps.com/start"}
            """)
        let (settings, environment) = try resolve(home, endpoints(server), profile: "dev")
        let credentials = try await CredentialsProvider(source: settings.credentials, environment: environment).current()
        #expect(credentials.accountId == "444455556666")
        #expect(try await server.counts()["CreateToken"] == 1)
        let written = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any]
        #expect(written?["accessToken"] as? String == "refreshed-access-token")
        #expect(written?["refreshToken"] as? String == "refresh-2")
        #expect(written?["clientSecret"] as? String == "s")
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }

    @Test func imdsV2AsksForATokenFirst() async throws {
        let server = try await IdentityServer.start()
        let home = try TempHome(config: "[default]\nregion = us-east-1\n")
        let (settings, environment) = try resolve(home, ["AWS_EC2_METADATA_DISABLED": "", "AWS_EC2_METADATA_SERVICE_ENDPOINT": server.url,
                                                         "AWS_METADATA_SERVICE_NUM_ATTEMPTS": "2"])
        guard case let .instanceMetadata(imds) = settings.credentials else { Issue.record("\(settings.credentials)"); return }
        #expect(imds.timeout == 1 && imds.attempts == 2)
        let credentials = try await CredentialsProvider(source: settings.credentials, environment: environment).current()
        #expect(credentials.credentials.sessionToken == "imds-session")
        #expect(credentials.expiration != nil)
        let counts = try await server.counts()
        #expect(counts["imds-token"] == 1 && counts["imds-role"] == 1 && counts["imds-credentials"] == 1, "\(counts)")
    }

    @Test func noCredentialsAnywhereTellsWhereCksLookedAfterIMDS() async throws {
        let home = try TempHome(config: "[default]\nregion = us-east-1\n")
        // A loopback port nobody listens on stands for an instance metadata service that is not there.
        let (settings, environment) = try resolve(home, ["AWS_EC2_METADATA_DISABLED": "",
                                                         "AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://127.0.0.1:\(try Host.freePort())"])
        let error = await #expect(throws: AWSConfigurationError.self) {
            try await CredentialsProvider(source: settings.credentials, environment: environment).current()
        }
        #expect(error?.kind == .noCredentials)
        for fragment in ["No AWS credentials for profile default", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "EC2 instance metadata service"] {
            #expect(error?.message.contains(fragment) == true, "lacks \(fragment): \(error?.message ?? "")")
        }
    }

    @Test func containerFullURIMustBeLoopbackOrAContainerHost() throws {
        let home = try TempHome()
        #expect(throws: AWSConfigurationError.self) {
            try resolve(home, ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://example.com/creds"])
        }
        let (https, _) = try resolve(home, ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "https://example.com/creds"])
        #expect(https.credentials.method == "container-role")
        let (relative, _) = try resolve(home, ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/x"])
        guard case let .container(container) = relative.credentials else { Issue.record("\(relative.credentials)"); return }
        #expect(container.url.absoluteString == "http://169.254.170.2/v2/credentials/x")
    }

    @Test func mfaWithoutAPromptSaysWhatToDo() async throws {
        let server = try await ParityServer.shared()
        let home = try TempHome(config: "[profile mfa]\nrole_arn = arn:aws:iam::2:role/m\nsource_profile = base\nmfa_serial = arn:aws:iam::1:mfa/me\n",
                                credentials: "[base]\naws_access_key_id = AKIABASE\naws_secret_access_key = s\n")
        let (settings, environment) = try resolve(home, endpoints(server), profile: "mfa")
        let error = await #expect(throws: AWSConfigurationError.self) {
            try await CredentialsProvider(source: settings.credentials, environment: environment, mfaPrompt: nil).current()
        }
        #expect(error?.message.contains("needs an MFA code from arn:aws:iam::1:mfa/me") == true, "\(error?.message ?? "")")
        let wrong = await #expect(throws: AWSConfigurationError.self) {
            try await CredentialsProvider(source: settings.credentials, environment: environment, mfaPrompt: { _ in "000000" }).current()
        }
        #expect(wrong?.message.contains("MultiFactorAuthentication failed") == true, "\(wrong?.message ?? "")")
        let asked = try await CredentialsProvider(source: settings.credentials, environment: environment, mfaPrompt: { serial in
            serial == "arn:aws:iam::1:mfa/me" ? "123456" : nil
        }).current()
        #expect(asked.credentials.accessKeyId.hasPrefix("ASIA"))
    }

    @Test func stsEndpointFollowsTheRegionUnlessLegacyOrConfigured() throws {
        let home = try TempHome(config: "[profile r]\nrole_arn = arn:aws:iam::2:role/r\ncredential_source = Environment\n",
                                credentials: nil)
        let keys = ["AWS_ACCESS_KEY_ID": "AK", "AWS_SECRET_ACCESS_KEY": "s", "AWS_DEFAULT_REGION": "eu-west-1"]
        func sts(_ extra: [String: String]) throws -> STSEndpoint? {
            let settings = try AWSSettings.resolve(AWSOverrides(profile: "r"), environment: home.environment(keys.merging(extra) { $1 }))
            guard case let .assumeRole(role) = settings.credentials else { return nil }
            return role.sts
        }
        #expect(try sts([:])?.url.absoluteString == "https://sts.eu-west-1.amazonaws.com")
        #expect(try sts(["AWS_STS_REGIONAL_ENDPOINTS": "legacy"])?.url.absoluteString == "https://sts.amazonaws.com")
        #expect(try sts(["AWS_ENDPOINT_URL_STS": "http://127.0.0.1:9"])?.url.absoluteString == "http://127.0.0.1:9")
        #expect(try sts(["AWS_ENDPOINT_URL": "http://127.0.0.1:8"])?.url.absoluteString == "http://127.0.0.1:8")
    }
}

/// The parity suite's server, shared with tests that only read from it.
enum ParityServer {
    static func shared() async throws -> IdentityServer { try await BotocoreParityTests.shared() }
}
