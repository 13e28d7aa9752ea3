import AWSBackend
import Foundation
import SigV4
import Testing

/// One row of the matrix: files, variables and options, and what cks must conclude.
struct SettingsCase: Sendable, CustomTestStringConvertible {
    var name: String
    var config: String?
    var credentials: String?
    var variables: [String: String] = [:]
    var overrides = AWSOverrides()
    var expect: Expectation

    enum Expectation: Sendable {
        /// Access key, session token, Region.
        case keys(String, token: String?, region: String)
        case process(profile: String, region: String)
        /// botocore's name of the source (`assume-role`, `sso`, …).
        case source(String, region: String)
        case error(AWSConfigurationError.Kind, mentioning: [String])
    }

    var testDescription: String { name }
}

@Suite("Credentials and Region as the aws CLI finds them")
struct SettingsMatrixTests {
    static let cases: [SettingsCase] = [
        SettingsCase(name: "environment keys and AWS_REGION",
                     variables: ["AWS_ACCESS_KEY_ID": "AKENV", "AWS_SECRET_ACCESS_KEY": "s", "AWS_REGION": "eu-west-1"],
                     expect: .keys("AKENV", token: nil, region: "eu-west-1")),
        SettingsCase(name: "environment session token, AWS_DEFAULT_REGION",
                     variables: ["AWS_ACCESS_KEY_ID": "AKENV", "AWS_SECRET_ACCESS_KEY": "s", "AWS_SESSION_TOKEN": "tok",
                                 "AWS_DEFAULT_REGION": "ap-south-1"],
                     expect: .keys("AKENV", token: "tok", region: "ap-south-1")),
        SettingsCase(name: "AWS_REGION before AWS_DEFAULT_REGION before the profile",
                     config: "[default]\nregion = us-west-2\n",
                     variables: ["AWS_ACCESS_KEY_ID": "AKENV", "AWS_SECRET_ACCESS_KEY": "s", "AWS_REGION": "eu-north-1",
                                 "AWS_DEFAULT_REGION": "ap-south-1"],
                     expect: .keys("AKENV", token: nil, region: "eu-north-1")),
        SettingsCase(name: "--region before everything",
                     config: "[default]\nregion = us-west-2\n",
                     variables: ["AWS_ACCESS_KEY_ID": "AKENV", "AWS_SECRET_ACCESS_KEY": "s", "AWS_REGION": "eu-north-1"],
                     overrides: AWSOverrides(region: "sa-east-1"),
                     expect: .keys("AKENV", token: nil, region: "sa-east-1")),
        SettingsCase(name: "default profile: credentials file keys, config region",
                     config: "[default]\nregion = us-east-2\n",
                     credentials: "[default]\naws_access_key_id = AKDEF\naws_secret_access_key = s\n",
                     expect: .keys("AKDEF", token: nil, region: "us-east-2")),
        SettingsCase(name: "AWS_PROFILE selects [x] in credentials and [profile x] in config",
                     config: "[default]\nregion = us-east-2\n[profile dev]\nregion = eu-west-3\n",
                     credentials: "[default]\naws_access_key_id = AKDEF\naws_secret_access_key = s\n[dev]\naws_access_key_id = AKDEV\naws_secret_access_key = s\naws_session_token = devtok\n",
                     variables: ["AWS_PROFILE": "dev"],
                     expect: .keys("AKDEV", token: "devtok", region: "eu-west-3")),
        SettingsCase(name: "--profile ignores environment keys",
                     config: "[profile dev]\nregion = eu-west-3\n",
                     credentials: "[dev]\naws_access_key_id = AKDEV\naws_secret_access_key = s\n",
                     variables: ["AWS_ACCESS_KEY_ID": "AKENV", "AWS_SECRET_ACCESS_KEY": "s"],
                     overrides: AWSOverrides(profile: "dev"),
                     expect: .keys("AKDEV", token: nil, region: "eu-west-3")),
        SettingsCase(name: "AWS_PROFILE does not beat environment keys",
                     config: "[profile dev]\nregion = eu-west-3\n",
                     credentials: "[dev]\naws_access_key_id = AKDEV\naws_secret_access_key = s\n",
                     variables: ["AWS_ACCESS_KEY_ID": "AKENV", "AWS_SECRET_ACCESS_KEY": "s", "AWS_PROFILE": "dev"],
                     expect: .keys("AKENV", token: nil, region: "eu-west-3")),
        SettingsCase(name: "[dev] in the config file is not profile dev",
                     config: "[dev]\nregion = eu-west-3\n",
                     overrides: AWSOverrides(profile: "dev"),
                     expect: .error(.profileNotFound, mentioning: ["(dev)", "[profile dev]", "--profile"])),
        SettingsCase(name: "[profile dev] in the credentials file is not profile dev",
                     credentials: "[profile dev]\naws_access_key_id = AK\naws_secret_access_key = s\n",
                     variables: ["AWS_PROFILE": "dev"],
                     expect: .error(.profileNotFound, mentioning: ["(dev)", "AWS_PROFILE"])),
        SettingsCase(name: "AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE with ~",
                     variables: ["AWS_CONFIG_FILE": "~/elsewhere/conf", "AWS_SHARED_CREDENTIALS_FILE": "~/elsewhere/creds"],
                     expect: .keys("AKELSEWHERE", token: nil, region: "ca-central-1")),
        SettingsCase(name: "credentials file before credential_process",
                     config: "[default]\nregion = us-east-1\ncredential_process = /bin/false\n",
                     credentials: "[default]\naws_access_key_id = AKFILE\naws_secret_access_key = s\n",
                     expect: .keys("AKFILE", token: nil, region: "us-east-1")),
        SettingsCase(name: "credential_process before keys in the config file",
                     config: "[profile p]\nregion = us-east-1\ncredential_process = /bin/true\naws_access_key_id = AKCONF\naws_secret_access_key = s\n",
                     variables: ["AWS_PROFILE": "p"],
                     expect: .process(profile: "p", region: "us-east-1")),
        SettingsCase(name: "credential_process in the credentials file",
                     credentials: "[p]\ncredential_process = /bin/true\nregion = me-south-1\n",
                     overrides: AWSOverrides(profile: "p"),
                     expect: .process(profile: "p", region: "me-south-1")),
        SettingsCase(name: "keys in the config file",
                     config: "[default]\nregion = us-east-1\naws_access_key_id = AKCONF\naws_secret_access_key = s\n",
                     expect: .keys("AKCONF", token: nil, region: "us-east-1")),
        SettingsCase(name: "AWS_DEFAULT_PROFILE",
                     config: "[profile legacy]\nregion = us-west-1\naws_access_key_id = AKLEG\naws_secret_access_key = s\n",
                     variables: ["AWS_DEFAULT_PROFILE": "legacy"],
                     expect: .keys("AKLEG", token: nil, region: "us-west-1")),
        SettingsCase(name: "no credentials anywhere: says where it looked",
                     config: "[default]\nregion = us-east-1\n",
                     expect: .error(.noCredentials, mentioning: ["AWS_ACCESS_KEY_ID", ".aws/credentials (no such file)",
                                                                 "[default] in", ".aws/config (profiles: default)", "aws configure"])),
        SettingsCase(name: "no Region anywhere: says where it looked",
                     variables: ["AWS_ACCESS_KEY_ID": "AKENV", "AWS_SECRET_ACCESS_KEY": "s"],
                     expect: .error(.noRegion, mentioning: ["--region", "AWS_REGION", "AWS_DEFAULT_REGION", "profile default", ".aws/config (no such file)"])),
        SettingsCase(name: "only AWS_ACCESS_KEY_ID",
                     variables: ["AWS_ACCESS_KEY_ID": "AKENV", "AWS_REGION": "us-east-1"],
                     expect: .error(.partialCredentials, mentioning: ["AWS_SECRET_ACCESS_KEY"])),
        SettingsCase(name: "a key without its secret in the credentials file",
                     credentials: "[default]\naws_access_key_id = AK\n",
                     variables: ["AWS_REGION": "us-east-1"],
                     expect: .error(.partialCredentials, mentioning: ["aws_secret_access_key"])),
        SettingsCase(name: "role_arn profiles assume the role with their source_profile",
                     config: "[profile admin]\nregion = us-east-1\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = default\n",
                     credentials: "[default]\naws_access_key_id = AKDEF\naws_secret_access_key = s\n",
                     overrides: AWSOverrides(profile: "admin"),
                     expect: .source("assume-role", region: "us-east-1")),
        SettingsCase(name: "an sso_session profile without its section says so",
                     config: "[profile sso]\nregion = us-east-1\nsso_session = corp\nsso_account_id = 1\nsso_role_name = r\n",
                     overrides: AWSOverrides(profile: "sso"),
                     expect: .error(.invalidSetting, mentioning: ["sso-session does not exist", "corp"])),
        SettingsCase(name: "empty variables count as unset",
                     config: "[default]\nregion = us-east-2\naws_access_key_id = AKCONF\naws_secret_access_key = s\n",
                     variables: ["AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_REGION": ""],
                     expect: .keys("AKCONF", token: nil, region: "us-east-2")),
    ]

    @Test(arguments: cases)
    func resolves(_ row: SettingsCase) throws {
        let home = try TempHome(config: row.config, credentials: row.credentials)
        if row.name.contains("AWS_CONFIG_FILE") {
            try home.write("elsewhere/conf", "[default]\nregion = ca-central-1\n")
            try home.write("elsewhere/creds", "[default]\naws_access_key_id = AKELSEWHERE\naws_secret_access_key = s\n")
        }
        let result = Result(catching: { () throws(AWSConfigurationError) -> AWSSettings in
            try AWSSettings.resolve(row.overrides, environment: home.environment(row.variables))
        })
        switch (row.expect, result) {
        case let (.keys(accessKey, token, region), .success(settings)):
            guard case let .fixed(credentials, _) = settings.credentials else {
                Issue.record("expected fixed keys, got \(settings.credentials)")
                return
            }
            #expect(credentials.accessKeyId == accessKey)
            #expect(credentials.sessionToken == token)
            #expect(settings.region == region)
        case let (.process(profile, region), .success(settings)):
            guard case let .process(process) = settings.credentials else {
                Issue.record("expected a credential process, got \(settings.credentials)")
                return
            }
            #expect(process.profile == profile)
            #expect(settings.region == region)
        case let (.source(method, region), .success(settings)):
            #expect(settings.credentials.method == method, "\(settings.credentials)")
            #expect(settings.region == region)
        case let (.error(kind, fragments), .failure(error)):
            #expect(error.kind == kind, "\(error.message)")
            for fragment in fragments {
                #expect(error.message.contains(fragment), "message lacks \(fragment): \(error.message)")
            }
        default:
            Issue.record("expected \(row.expect), got \(result)")
        }
    }

    @Test func messageOfNoCredentialsListsTheProfileOrigin() throws {
        let home = try TempHome(config: "[profile dev]\nregion = us-east-1\n")
        #expect(throws: AWSConfigurationError.self) {
            try AWSSettings.resolve(AWSOverrides(), environment: home.environment(["AWS_PROFILE": "dev"]))
        }
        do {
            _ = try AWSSettings.resolve(AWSOverrides(), environment: home.environment(["AWS_PROFILE": "dev"]))
        } catch {
            #expect(error.message.contains("profile dev (AWS_PROFILE)"))
            #expect(error.message.contains("[profile dev] in"))
        }
    }
}
