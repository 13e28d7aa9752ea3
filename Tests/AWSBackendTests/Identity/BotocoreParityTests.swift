import AWSBackend
import CKSTestSupport
import Crypto
import Foundation
import Testing

/// One setup of `~/.aws` files and variables that botocore and cks must read alike.
struct ParityCase: Sendable, CustomTestStringConvertible {
    var name: String
    var config: String = ""
    var credentials: String = ""
    var variables: [String: String] = [:]
    /// Files under the home folder; `{server}` and `{home}` are replaced.
    var files: [String: String] = [:]
    /// `--profile` (botocore: `Session(profile=…)`).
    var profile: String?
    /// botocore's method name cks must report too; nil when both must refuse the setup.
    var method: String?

    var testDescription: String { name }
}

/// The same files and environments given to botocore (the aws CLI's credential chain, in Python) and to cks,
/// every endpoint pointed at a loopback `IdentityServer`: both pick the same source and end with the same
/// access key (the server's keys are a hash of the role and of the key that signed the call, so the whole chain
/// must match).
@Suite("cks and botocore pick the same credentials", .serialized,
       .enabled("python3 with botocore is not installed") { await Botocore.available.value })
struct BotocoreParityTests {
    static let future = "2099-01-01T00:00:00Z"
    static let soon: String = {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: Date().addingTimeInterval(300))
    }()

    static let cases: [ParityCase] = [
        ParityCase(name: "environment keys", variables: ["AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "s"], method: "env"),
        ParityCase(name: "credentials file", credentials: "[default]\naws_access_key_id = AKIAFILE\naws_secret_access_key = s\n",
                   method: "shared-credentials-file"),
        ParityCase(name: "config file keys", config: "[default]\naws_access_key_id = AKIACONF\naws_secret_access_key = s\n",
                   method: "config-file"),
        ParityCase(name: "role with a source_profile",
                   config: "[profile admin]\nrole_arn = arn:aws:iam::222233334444:role/admin\nsource_profile = base\n",
                   credentials: "[base]\naws_access_key_id = AKIABASE\naws_secret_access_key = s\n",
                   variables: ["AWS_PROFILE": "admin"], method: "assume-role"),
        ParityCase(name: "a chain of three profiles",
                   config: """
                   [profile top]
                   role_arn = arn:aws:iam::333344445555:role/top
                   source_profile = middle
                   [profile middle]
                   role_arn = arn:aws:iam::222233334444:role/middle
                   source_profile = base
                   external_id = ext-middle
                   """,
                   credentials: "[base]\naws_access_key_id = AKIABASE\naws_secret_access_key = s\n",
                   profile: "top", method: "assume-role"),
        ParityCase(name: "a profile naming itself as source_profile",
                   config: "[profile selfish]\nrole_arn = arn:aws:iam::222233334444:role/self\nsource_profile = selfish\n",
                   credentials: "[selfish]\naws_access_key_id = AKIASELF\naws_secret_access_key = s\n",
                   profile: "selfish", method: "assume-role"),
        ParityCase(name: "external_id, duration_seconds and role_session_name",
                   config: """
                   [profile audited]
                   role_arn = arn:aws:iam::222233334444:role/audited
                   source_profile = base
                   external_id = the-external-id
                   duration_seconds = 1800
                   role_session_name = cks-tests
                   """,
                   credentials: "[base]\naws_access_key_id = AKIABASE\naws_secret_access_key = s\n",
                   profile: "audited", method: "assume-role"),
        ParityCase(name: "mfa_serial (the code typed is 123456)",
                   config: "[profile mfa]\nrole_arn = arn:aws:iam::222233334444:role/mfa\nsource_profile = base\nmfa_serial = arn:aws:iam::111122223333:mfa/me\n",
                   credentials: "[base]\naws_access_key_id = AKIABASE\naws_secret_access_key = s\n",
                   profile: "mfa", method: "assume-role"),
        ParityCase(name: "credential_source = Environment",
                   config: "[profile envrole]\nrole_arn = arn:aws:iam::222233334444:role/env\ncredential_source = Environment\n",
                   variables: ["AWS_ACCESS_KEY_ID": "AKIAENVSOURCE", "AWS_SECRET_ACCESS_KEY": "s"],
                   profile: "envrole", method: "assume-role"),
        ParityCase(name: "credential_source = EcsContainer",
                   config: "[profile task]\nrole_arn = arn:aws:iam::222233334444:role/fromtask\ncredential_source = EcsContainer\n",
                   variables: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "{server}/container/v2/credentials/abc",
                               "AWS_CONTAINER_AUTHORIZATION_TOKEN": "Bearer pod-token"],
                   profile: "task", method: "assume-role"),
        ParityCase(name: "credential_source = Ec2InstanceMetadata",
                   config: "[profile instance]\nrole_arn = arn:aws:iam::222233334444:role/frominstance\ncredential_source = Ec2InstanceMetadata\n",
                   variables: ["AWS_EC2_METADATA_DISABLED": "", "AWS_EC2_METADATA_SERVICE_ENDPOINT": "{server}/"],
                   profile: "instance", method: "assume-role"),
        ParityCase(name: "--profile ignores environment keys and assumes the role",
                   config: "[profile admin]\nrole_arn = arn:aws:iam::222233334444:role/admin\nsource_profile = base\n",
                   credentials: "[base]\naws_access_key_id = AKIABASE\naws_secret_access_key = s\n",
                   variables: ["AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "s"],
                   profile: "admin", method: "assume-role"),
        ParityCase(name: "environment keys beat AWS_PROFILE's role",
                   config: "[profile admin]\nrole_arn = arn:aws:iam::222233334444:role/admin\nsource_profile = base\n",
                   credentials: "[base]\naws_access_key_id = AKIABASE\naws_secret_access_key = s\n",
                   variables: ["AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "s", "AWS_PROFILE": "admin"], method: "env"),
        ParityCase(name: "role_arn in the credentials file",
                   credentials: "[default]\nrole_arn = arn:aws:iam::222233334444:role/increds\nsource_profile = base\n[base]\naws_access_key_id = AKIABASE\naws_secret_access_key = s\n",
                   method: "assume-role"),
        ParityCase(name: "role_arn before the profile's own keys",
                   config: "[profile both]\nrole_arn = arn:aws:iam::222233334444:role/both\nsource_profile = base\naws_access_key_id = AKIAOWN\naws_secret_access_key = s\n",
                   credentials: "[base]\naws_access_key_id = AKIABASE\naws_secret_access_key = s\n",
                   profile: "both", method: "assume-role"),
        ParityCase(name: "web identity from the environment",
                   variables: ["AWS_WEB_IDENTITY_TOKEN_FILE": "{home}/token", "AWS_ROLE_ARN": "arn:aws:iam::222233334444:role/irsa"],
                   files: ["token": "eyJ-web-identity-token"], method: "assume-role-with-web-identity"),
        ParityCase(name: "web identity from the profile",
                   config: "[profile web]\nweb_identity_token_file = {home}/token\nrole_arn = arn:aws:iam::222233334444:role/web\nrole_session_name = s1\n",
                   files: ["token": "another-token"], profile: "web", method: "assume-role-with-web-identity"),
        ParityCase(name: "--profile ignores the environment's web identity",
                   credentials: "[plain]\naws_access_key_id = AKIAPLAIN\naws_secret_access_key = s\n",
                   variables: ["AWS_WEB_IDENTITY_TOKEN_FILE": "{home}/token", "AWS_ROLE_ARN": "arn:aws:iam::222233334444:role/irsa"],
                   files: ["token": "eyJ-web-identity-token"], profile: "plain", method: "shared-credentials-file"),
        ParityCase(name: "a role over a web identity source profile",
                   config: "[profile over]\nrole_arn = arn:aws:iam::333344445555:role/over\nsource_profile = web\n[profile web]\nweb_identity_token_file = {home}/token\nrole_arn = arn:aws:iam::222233334444:role/web\n",
                   files: ["token": "chained-token"], profile: "over", method: "assume-role"),
        ParityCase(name: "IAM Identity Center with an sso_session",
                   config: """
                   [profile dev]
                   sso_session = corp
                   sso_account_id = 444455556666
                   sso_role_name = Developer
                   [sso-session corp]
                   sso_start_url = https://corp.awsapps.com/start
                   sso_region = us-east-1
                   """,
                   files: [".aws/sso/cache/\(SHA1.hex("corp")).json":
                            #"{"accessToken": "sso-access", "expiresAt": "\#(future)", "region": "us-east-1", "startUrl": "https://corp.awsapps.com/start"}"#],
                   profile: "dev", method: "sso"),
        ParityCase(name: "a legacy sso_start_url profile",
                   config: """
                   [profile legacy]
                   sso_start_url = https://legacy.awsapps.com/start
                   sso_region = eu-west-1
                   sso_account_id = 444455556666
                   sso_role_name = ReadOnly
                   """,
                   files: [".aws/sso/cache/\(SHA1.hex("https://legacy.awsapps.com/start")).json":
                            #"{"accessToken": "legacy-access", "expiresAt": "\#(future)", "region": "eu-west-1", "startUrl": "https://legacy.awsapps.com/start"}"#],
                   profile: "legacy", method: "sso"),
        ParityCase(name: "an sso_session token about to expire is refreshed first",
                   config: """
                   [profile dev]
                   sso_session = corp
                   sso_account_id = 444455556666
                   sso_role_name = Developer
                   [sso-session corp]
                   sso_start_url = https://corp.awsapps.com/start
                   sso_region = us-east-1
                   """,
                   files: [".aws/sso/cache/\(SHA1.hex("corp")).json": #"""
                   {"accessToken": "old-access", "expiresAt": "\#(soon)", "region": "us-east-1", "startUrl": "https://corp.awsapps.com/start",
                    "refreshToken": "refresh-1", "clientId": "client", "clientSecret": "secret", "registrationExpiresAt": "\#(future)"}
                   """#],
                   profile: "dev", method: "sso"),
        ParityCase(name: "a role over an IAM Identity Center source profile",
                   config: """
                   [profile prod]
                   role_arn = arn:aws:iam::777788889999:role/deploy
                   source_profile = dev
                   [profile dev]
                   sso_session = corp
                   sso_account_id = 444455556666
                   sso_role_name = Developer
                   [sso-session corp]
                   sso_start_url = https://corp.awsapps.com/start
                   sso_region = us-east-1
                   """,
                   files: [".aws/sso/cache/\(SHA1.hex("corp")).json":
                            #"{"accessToken": "sso-access", "expiresAt": "\#(future)", "region": "us-east-1", "startUrl": "https://corp.awsapps.com/start"}"#],
                   profile: "prod", method: "assume-role"),
        ParityCase(name: "a container with an authorization token file",
                   variables: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "{server}/container/pod", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": "{home}/pod-token"],
                   files: ["pod-token": "eks-pod-identity-token"], method: "container-role"),
        ParityCase(name: "a container without authorization",
                   variables: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "{server}/container/plain"], method: "container-role"),
        ParityCase(name: "the instance metadata service last",
                   config: "[default]\nregion = us-east-1\n",
                   variables: ["AWS_EC2_METADATA_DISABLED": "", "AWS_EC2_METADATA_SERVICE_ENDPOINT": "{server}"], method: "iam-role"),
        ParityCase(name: "credential_process",
                   config: "[default]\ncredential_process = {home}/creds.sh\n",
                   files: ["creds.sh": "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"AKIAPROC\", \"SecretAccessKey\": \"s\"}'\n"],
                   method: "custom-process"),
        ParityCase(name: "both source_profile and credential_source are refused",
                   config: "[profile bad]\nrole_arn = arn:aws:iam::222233334444:role/bad\nsource_profile = base\ncredential_source = Environment\n",
                   credentials: "[base]\naws_access_key_id = AKIABASE\naws_secret_access_key = s\n", profile: "bad"),
        ParityCase(name: "a loop of source profiles is refused",
                   config: "[profile a]\nrole_arn = arn:aws:iam::222233334444:role/a\nsource_profile = b\n[profile b]\nrole_arn = arn:aws:iam::222233334444:role/b\nsource_profile = a\n",
                   profile: "a"),
        ParityCase(name: "a missing source profile is refused",
                   config: "[profile orphan]\nrole_arn = arn:aws:iam::222233334444:role/o\nsource_profile = nowhere\n", profile: "orphan"),
        ParityCase(name: "an unknown credential_source is refused",
                   config: "[profile odd]\nrole_arn = arn:aws:iam::222233334444:role/o\ncredential_source = Laptop\n", profile: "odd"),
    ]

    /// What one implementation concluded: the source's name and the access key, or a refusal.
    struct Outcome: Equatable, CustomStringConvertible {
        var method: String?
        var accessKey: String?
        var error: String?
        var description: String { error.map { "error: \($0)" } ?? "\(method ?? "nil") \(accessKey ?? "nil")" }
    }

    @Test(arguments: cases)
    func sameSourceAndKey(_ row: ParityCase) async throws {
        let server = try await Self.shared()
        let cks = try await runCKS(row, server)
        let botocore = try await runBotocore(row, server)
        if let method = row.method {
            #expect(cks.method == method, "cks: \(cks)")
            #expect(botocore.method == method, "botocore: \(botocore)")
            #expect(cks.accessKey != nil && cks.accessKey == botocore.accessKey, "cks \(cks) vs botocore \(botocore)")
        } else {
            #expect(cks.error != nil, "cks accepted it: \(cks)")
            #expect(botocore.error != nil, "botocore accepted it: \(botocore)")
        }
    }

    // MARK: Running each side

    private static let server = ServerBox()

    static func shared() async throws -> IdentityServer { try await server.get() }

    private func prepare(_ row: ParityCase, _ server: IdentityServer) throws -> (home: TempHome, variables: [String: String]) {
        let home = try TempHome()
        func fill(_ text: String) -> String {
            text.replacingOccurrences(of: "{server}", with: server.url).replacingOccurrences(of: "{home}", with: home.path)
        }
        if !row.config.isEmpty { try home.write(".aws/config", fill(row.config)) }
        if !row.credentials.isEmpty { try home.write(".aws/credentials", fill(row.credentials)) }
        for (path, text) in row.files { try home.write(path, fill(text), executable: path.hasSuffix(".sh")) }
        var variables = ["AWS_DEFAULT_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true",
                         "AWS_ENDPOINT_URL_STS": server.url, "AWS_ENDPOINT_URL_SSO": server.url, "AWS_ENDPOINT_URL_SSO_OIDC": server.url]
        for (name, value) in row.variables { variables[name] = fill(value) }
        return (home, variables)
    }

    private func runCKS(_ row: ParityCase, _ server: IdentityServer) async throws -> Outcome {
        let (home, variables) = try prepare(row, server)
        let environment = home.environment(variables)
        do {
            let settings = try AWSSettings.resolve(AWSOverrides(profile: row.profile), environment: environment)
            let provider = CredentialsProvider(source: settings.credentials, environment: environment, mfaPrompt: { _ in "123456" })
            let credentials = try await provider.current()
            return Outcome(method: settings.credentials.method, accessKey: credentials.credentials.accessKeyId)
        } catch {
            return Outcome(error: error.message)
        }
    }

    private func runBotocore(_ row: ParityCase, _ server: IdentityServer) async throws -> Outcome {
        let (home, variables) = try prepare(row, server)
        var environment = ["HOME": home.path, "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
        for (name, value) in variables where !value.isEmpty { environment[name] = value }
        let result = try await ChildProcess.run(Host.which("python3")!, ["-c", Self.botocoreScript, row.profile ?? ""],
                                                environment: environment)
        guard let data = result.stdout.split(separator: "\n").last.map({ Data($0.utf8) }),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            return Outcome(error: "botocore printed no answer: \(result)")
        }
        if let error = object["error"] as? String { return Outcome(error: error) }
        return Outcome(method: object["method"] as? String, accessKey: object["accessKey"] as? String)
    }

    /// botocore's credential chain, as the aws CLI builds it (`--profile` is `Session(profile=…)`); the MFA code
    /// prompt answers 123456.
    static let botocoreScript = """
        import getpass, json, sys
        getpass.getpass = lambda prompt="": "123456"
        import botocore.session
        profile = sys.argv[1] or None
        try:
            credentials = botocore.session.Session(profile=profile).get_credentials()
            if credentials is None:
                print(json.dumps({"error": "no credentials"}))
            else:
                frozen = credentials.get_frozen_credentials()
                print(json.dumps({"method": credentials.method, "accessKey": frozen.access_key}))
        except Exception as error:
            print(json.dumps({"error": "%s: %s" % (type(error).__name__, error)}))
        """
}

/// botocore, the aws CLI's Python core, when installed.
enum Botocore {
    static let available = Task<Bool, Never> {
        guard let python = Host.which("python3") else { return false }
        return (try? await Spawn.runWithStatus(python, ["-c", "import botocore"]).exit.shellStatus) == 0
    }
}

/// One identity server for the suite, started on first use.
actor ServerBox {
    private var server: IdentityServer?

    func get() async throws -> IdentityServer {
        if let server { return server }
        let started = try await IdentityServer.start()
        server = started
        return started
    }
}

/// SHA-1 in hex, as `aws sso login` names its cache files (with swift-crypto directly, so the tests do not share
/// cks's code).
enum SHA1 {
    static func hex(_ text: String) -> String {
        Insecure.SHA1.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
