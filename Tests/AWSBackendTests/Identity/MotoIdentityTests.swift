import AWSBackend
import CKSTestSupport
import Foundation
import Testing

/// STS as moto serves it (AssumeRole, AssumeRoleWithWebIdentity, GetCallerIdentity), through the settings a
/// person writes, and `cks whoami` beside `aws sts get-caller-identity`.
@Suite("STS against moto_server", .serialized,
       .enabled(if: MotoServer.executable != nil, "moto_server is not installed (pip install 'moto[server]'); CI installs it"))
struct MotoIdentityTests {
    static let config = """
        [profile admin]
        role_arn = arn:aws:iam::123456789012:role/admin
        source_profile = base
        role_session_name = cks-test
        region = us-east-1
        """
    static let credentials = "[base]\naws_access_key_id = testing\naws_secret_access_key = testing\n"

    @Test func assumeRoleThenCallerIdentity() async throws {
        let moto = try await MotoServer.start()
        let home = try TempHome(config: Self.config, credentials: Self.credentials)
        let environment = home.environment(["AWS_ENDPOINT_URL_STS": moto.url.absoluteString])
        let settings = try AWSSettings.resolve(AWSOverrides(profile: "admin", endpointURL: moto.url.absoluteString), environment: environment)
        #expect(settings.credentials.method == "assume-role")
        let service = AWSKeyStoreService(settings: settings, environment: environment)
        #expect(service.backend.accountId.isEmpty)
        let identity = try await service.callerIdentity()
        #expect(identity.arn == "arn:aws:sts::123456789012:assumed-role/admin/cks-test", "\(identity)")
        #expect(identity.account == "123456789012")
        #expect(service.backend.accountId == "123456789012", "the console's header account comes from STS")
        let keys = try await service.credentials.current()
        #expect(keys.credentials.accessKeyId.hasPrefix("ASIA") && keys.credentials.sessionToken != nil)
        #expect(keys.expiration.map { $0 > Date() } == true)
    }

    @Test func webIdentityThenCallerIdentity() async throws {
        let moto = try await MotoServer.start()
        let home = try TempHome(config: "[default]\nregion = us-east-1\n")
        let token = try home.write("token", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0ZXN0In0.c2ln")
        let environment = home.environment([
            "AWS_ENDPOINT_URL_STS": moto.url.absoluteString, "AWS_WEB_IDENTITY_TOKEN_FILE": token,
            "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/irsa", "AWS_ROLE_SESSION_NAME": "pod",
        ])
        let settings = try AWSSettings.resolve(AWSOverrides(endpointURL: moto.url.absoluteString), environment: environment)
        #expect(settings.credentials.method == "assume-role-with-web-identity")
        let service = AWSKeyStoreService(settings: settings, environment: environment)
        let identity = try await service.callerIdentity()
        #expect(identity.arn.contains("assumed-role/irsa/pod"), "\(identity)")
    }

    @Test(.enabled(if: Host.which("aws") != nil, "the aws CLI is not installed"),
          .enabled(if: FileManager.default.isExecutableFile(atPath: CKSBinary.path), "the cks binary is not built"))
    func whoamiPrintsWhatTheAWSCLIPrintsPlusTheSource() async throws {
        let moto = try await MotoServer.start()
        let home = try TempHome(config: Self.config, credentials: Self.credentials)
        let environment = ["HOME": home.path, "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
                           "AWS_ENDPOINT_URL_STS": moto.url.absoluteString, "AWS_PROFILE": "admin", "AWS_EC2_METADATA_DISABLED": "true",
                           "CKS_HOME": home.path + "/world", "LC_ALL": "C.UTF-8"]
        let cks = try await ChildProcess.run(CKSBinary.path, ["whoami", "--backend", "aws", "--output", "json"], environment: environment)
        let aws = try await ChildProcess.run(Host.which("aws")!, ["sts", "get-caller-identity", "--output", "json"], environment: environment)
        #expect(cks.status == 0 && aws.status == 0, "\(cks)\n\(aws)")
        let ours = try #require(try JSONSerialization.jsonObject(with: Data(cks.stdout.utf8)) as? [String: String], "\(cks)")
        let theirs = try #require(try JSONSerialization.jsonObject(with: Data(aws.stdout.utf8)) as? [String: String], "\(aws)")
        #expect(Set(ours.keys) == Set(theirs.keys).union(["CredentialSource"]))
        #expect(ours["CredentialSource"] == "assume-role")
        #expect(ours["Arn"] == theirs["Arn"] && ours["Account"] == theirs["Account"], "\(ours) vs \(theirs)")

        let table = try await ChildProcess.run(CKSBinary.path, ["whoami", "--backend", "aws"], environment: environment)
        #expect(table.stdout.contains("Account      123456789012"), "\(table)")
        #expect(table.stdout.contains("role arn:aws:iam::123456789012:role/admin of profile admin, assumed with profile base"), "\(table)")

        let simulator = try await ChildProcess.run(CKSBinary.path, ["whoami"], environment: environment)
        #expect(simulator.status == 2 && simulator.stderr.contains("--backend aws"), "\(simulator)")
    }
}
