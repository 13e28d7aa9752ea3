import Foundation
import SigV4

extension AWSSettings {
    /// The credential chain of the aws CLI (botocore's `create_credential_resolver`): the environment (unless
    /// `--profile`), the profile's `role_arn`, its web identity, IAM Identity Center, the keys of the credentials
    /// file, `credential_process`, the keys of the config file, the container endpoint, the instance metadata service.
    static func resolveCredentials(
        _ environment: AWSEnvironment, _ files: SharedConfiguration, _ profile: ProfileChoice, region: String
    ) throws(AWSConfigurationError) -> CredentialSource {
        var chain = CredentialChain(environment: environment, files: files, region: region, profile: profile)
        return try chain.resolve()
    }
}

/// One walk of the credential chain, remembering where it looked (for the message when nothing is found) and
/// which profiles a `source_profile` chain has visited (to refuse a loop, as botocore does).
struct CredentialChain {
    let environment: AWSEnvironment
    let files: SharedConfiguration
    let region: String
    let profile: ProfileChoice
    var looked: [String] = []
    var visited: [String] = []

    init(environment: AWSEnvironment, files: SharedConfiguration, region: String, profile: ProfileChoice) {
        self.environment = environment
        self.files = files
        self.region = region
        self.profile = profile
    }

    mutating func resolve() throws(AWSConfigurationError) -> CredentialSource {
        let name = profile.name
        if profile.explicitOnCommandLine {
            looked.append("the environment: skipped, because --profile names a profile (as the aws CLI does)")
        } else if let keys = try environmentKeys() {
            return .fixed(keys, origin: CredentialSource.environmentOrigin + " (AWS_ACCESS_KEY_ID)")
        } else {
            looked.append("the environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set")
        }
        visited = [name]
        if hasAssumeRole(name) { return try assumeRole(name) }
        if let source = try profileProviders(name, environmentAllowed: !profile.explicitOnCommandLine) { return source }
        if let container = try containerSource() { return container }
        looked.append("the container credentials endpoint: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and _FULL_URI are not set")
        if let instance = try instanceMetadataSource(reportingWhereLooked: true) { return instance }
        looked.append("the EC2 instance metadata service: AWS_EC2_METADATA_DISABLED is true")
        throw noCredentials()
    }

    func noCredentials() -> AWSConfigurationError {
        AWSConfigurationError(.noCredentials, """
            No AWS credentials for profile \(profile.name) (\(profile.origin)). cks looked at:
            \(looked.map { "  " + $0 }.joined(separator: "\n"))
            Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, run `aws configure` (or `aws configure sso`), or pass --profile NAME.
            """)
    }

    // MARK: Profile providers (botocore's ProfileProviderBuilder)

    /// Web identity, IAM Identity Center, the credentials file's keys, `credential_process`, the config file's keys.
    mutating func profileProviders(_ name: String, environmentAllowed: Bool) throws(AWSConfigurationError) -> CredentialSource? {
        if let web = try webIdentity(name, environmentAllowed: environmentAllowed) { return .webIdentity(web) }
        if let sso = try singleSignOn(name) { return .singleSignOn(sso) }
        if let keys = try fileKeys(files.credentialsProfiles[name], file: files.credentialsPath, profile: name) {
            return .fixed(keys, origin: "profile \(name) in the credentials file \(files.credentialsPath)")
        }
        looked.append("[\(name)] in \(files.describe(files.credentialsStatus, path: files.credentialsPath)): "
                      + (files.credentialsProfiles[name] == nil ? "no such profile" : "no aws_access_key_id"))
        if let command = files.value("credential_process", profile: name) {
            return .process(CredentialProcess(command: command, profile: name))
        }
        if let keys = try fileKeys(files.configProfiles[name], file: files.configPath, profile: name) {
            return .fixed(keys, origin: "profile \(name) in the config file \(files.configPath)")
        }
        let header = name == "default" ? "[default]" : "[profile \(name)]"
        looked.append("\(header) in \(files.describe(files.configStatus, path: files.configPath)): "
                      + (files.configProfiles[name] == nil ? "no such profile"
                         : "no role_arn, sso_session, web_identity_token_file, credential_process or aws_access_key_id"))
        return nil
    }

    private func environmentKeys() throws(AWSConfigurationError) -> AWSCredentials? {
        let accessKey = environment["AWS_ACCESS_KEY_ID"]
        let secret = environment["AWS_SECRET_ACCESS_KEY"]
        switch (accessKey, secret) {
        case (nil, nil):
            return nil
        case let (accessKey?, secret?):
            return AWSCredentials(accessKeyId: accessKey, secretAccessKey: secret,
                                  sessionToken: environment["AWS_SESSION_TOKEN"] ?? environment["AWS_SECURITY_TOKEN"])
        case (nil, _?):
            throw AWSConfigurationError(.partialCredentials,
                                        "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not. Set both, or neither to use a profile.")
        case (_?, nil):
            throw AWSConfigurationError(.partialCredentials,
                                        "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not. Set both, or neither to use a profile.")
        }
    }

    private func fileKeys(_ section: ConfigFile.Section?, file: String, profile: String) throws(AWSConfigurationError) -> AWSCredentials? {
        func value(_ key: String) -> String? { section?.values[key].flatMap { $0.isEmpty ? nil : $0 } }
        guard let accessKey = value("aws_access_key_id") else { return nil }
        guard let secret = value("aws_secret_access_key") else {
            throw AWSConfigurationError(.partialCredentials,
                                        "Profile \(profile) in \(file) has aws_access_key_id but no aws_secret_access_key.")
        }
        return AWSCredentials(accessKeyId: accessKey, secretAccessKey: secret,
                              sessionToken: value("aws_session_token") ?? value("aws_security_token"))
    }

    func hasStaticKeys(_ name: String) -> Bool {
        files.has("aws_access_key_id", profile: name) || files.has("aws_secret_access_key", profile: name)
    }

    // MARK: Endpoints of the identity services

    /// STS for this session: `AWS_ENDPOINT_URL_STS`, `AWS_ENDPOINT_URL` or the profile's endpoints; else the
    /// regional endpoint, or the global one for `sts_regional_endpoints = legacy` in a Region that had it.
    func stsEndpoint() throws(AWSConfigurationError) -> STSEndpoint {
        if let configured = configuredEndpoint("sts") {
            return STSEndpoint(url: try AWSSettings.parseEndpoint(configured.value, origin: configured.origin), region: region)
        }
        let mode = (environment["AWS_STS_REGIONAL_ENDPOINTS"] ?? files.value("sts_regional_endpoints", profile: profile.name))?.lowercased()
        if mode == "legacy", Self.legacyGlobalSTSRegions.contains(region) {
            return STSEndpoint(url: URL(string: "https://sts.amazonaws.com")!, region: "us-east-1")
        }
        let host = AWSSettings.isRegionName(region) ? "sts.\(region).amazonaws.com" : "sts.invalid-region.invalid"
        return STSEndpoint(url: URL(string: "https://\(host)")!, region: region)
    }

    /// The Regions botocore sends to `sts.amazonaws.com` under `sts_regional_endpoints = legacy`.
    static let legacyGlobalSTSRegions: Set<String> = [
        "ap-northeast-1", "ap-south-1", "ap-southeast-1", "ap-southeast-2", "aws-global", "ca-central-1", "eu-central-1",
        "eu-north-1", "eu-west-1", "eu-west-2", "eu-west-3", "sa-east-1", "us-east-1", "us-east-2", "us-west-1", "us-west-2",
    ]

    /// `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, the services section, the profile's `endpoint_url`, unless
    /// `ignore_configured_endpoint_urls`.
    func configuredEndpoint(_ service: String) -> (value: String, origin: String)? {
        let ignore = (environment["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"]
            ?? files.value("ignore_configured_endpoint_urls", profile: profile.name))?.lowercased() == "true"
        if ignore { return nil }
        let variable = "AWS_ENDPOINT_URL_\(service.uppercased())"
        if let value = environment[variable] { return (value, variable) }
        if let value = environment["AWS_ENDPOINT_URL"] { return (value, "AWS_ENDPOINT_URL") }
        if let value = files.serviceValue("endpoint_url", service: service, profile: profile.name) {
            return (value, "the services section of profile \(profile.name)")
        }
        if let value = files.value("endpoint_url", profile: profile.name) { return (value, "endpoint_url of profile \(profile.name)") }
        return nil
    }
}
