import Foundation
import SigV4

extension CredentialChain {
    /// botocore's `_has_assume_role_config_vars`: `role_arn` without `web_identity_token_file`.
    func hasAssumeRole(_ name: String) -> Bool {
        files.has("role_arn", profile: name) && !files.has("web_identity_token_file", profile: name)
    }

    /// AssumeRole for profile `name`, with the credentials of its `source_profile` (which may assume a role in
    /// turn) or its `credential_source`.
    mutating func assumeRole(_ name: String) throws(AWSConfigurationError) -> CredentialSource {
        guard let roleArn = files.value("role_arn", profile: name) else {
            throw AWSConfigurationError(.invalidSetting, "Profile \(name) has an empty role_arn.")
        }
        let sourceProfile = files.value("source_profile", profile: name)
        let credentialSource = files.value("credential_source", profile: name)
        let source: CredentialSource
        switch (sourceProfile, credentialSource) {
        case (_?, _?):
            throw AWSConfigurationError(.invalidSetting,
                                        "The profile \"\(name)\" contains both source_profile and credential_source. Keep one of them.")
        case (nil, nil):
            throw AWSConfigurationError(.partialCredentials, """
                Profile \(name) has role_arn but neither source_profile nor credential_source: cks does not know which \
                credentials to assume the role with. Add source_profile = PROFILE, or credential_source = Environment, \
                Ec2InstanceMetadata or EcsContainer.
                """)
        case let (nil, canonical?):
            source = try namedSource(canonical, profile: name)
        case let (sourceName?, nil):
            try checkSourceProfile(sourceName, of: name)
            visited.append(sourceName)
            source = try sourceProfileCredentials(sourceName)
        }
        var duration: Int?
        if let text = files.value("duration_seconds", profile: name) {
            guard let value = Int(text) else {
                throw AWSConfigurationError(.invalidSetting, "duration_seconds of profile \(name) is \(text); it must be a whole number of seconds (900 to 43200).")
            }
            duration = value
        }
        return .assumeRole(AssumeRoleSettings(
            profile: name, roleArn: roleArn, source: source, externalId: files.value("external_id", profile: name),
            roleSessionName: files.value("role_session_name", profile: name), durationSeconds: duration,
            mfaSerial: files.value("mfa_serial", profile: name), sts: try stsEndpoint(),
            cacheFolder: environment.expandingTilde("~/.aws/cli/cache")))
    }

    /// botocore's `_validate_source_profile`: the profile exists, and a chain never comes back to a profile it
    /// visited, except a profile naming itself to use its own keys.
    private func checkSourceProfile(_ sourceName: String, of name: String) throws(AWSConfigurationError) {
        guard files.hasProfile(sourceName) else {
            throw AWSConfigurationError(.profileNotFound,
                                        "The source_profile \"\(sourceName)\" referenced in the profile \"\(name)\" does not exist.")
        }
        guard visited.contains(sourceName) else { return }
        if sourceName == name, hasStaticKeys(sourceName) { return }
        throw AWSConfigurationError(.invalidSetting, """
            Infinite loop in credential configuration detected. Attempting to load from profile \(sourceName) which has \
            already been visited. Visited profiles: \(visited.joined(separator: ", ")).
            """)
    }

    /// botocore's `_resolve_credentials_from_profile`: a source profile with keys, or without `role_arn`, gives
    /// its credentials through the profile providers (never the environment); otherwise it assumes its own role.
    private mutating func sourceProfileCredentials(_ sourceName: String) throws(AWSConfigurationError) -> CredentialSource {
        if hasStaticKeys(sourceName) || !hasAssumeRole(sourceName) {
            guard let source = try profileProviders(sourceName, environmentAllowed: false) else {
                throw AWSConfigurationError(.noCredentials, "The source profile \"\(sourceName)\" must have credentials.")
            }
            return source
        }
        return try assumeRole(sourceName)
    }

    /// `credential_source`: `Environment`, `Ec2InstanceMetadata` or `EcsContainer`.
    private mutating func namedSource(_ canonical: String, profile name: String) throws(AWSConfigurationError) -> CredentialSource {
        let missing = AWSConfigurationError(.noCredentials,
                                            "No credentials found in credential_source referenced in profile \(name) (\(canonical)).")
        switch canonical.lowercased() {
        case "environment":
            guard let keys = try environmentKeysForSource() else { throw missing }
            return .fixed(keys, origin: CredentialSource.environmentOrigin + " (AWS_ACCESS_KEY_ID, credential_source of profile \(name))")
        case "ec2instancemetadata":
            guard let instance = try instanceMetadataSource(reportingWhereLooked: false) else { throw missing }
            return instance
        case "ecscontainer":
            guard let container = try containerSource() else { throw missing }
            return container
        default:
            throw AWSConfigurationError(.invalidSetting, """
                The credential source "\(canonical)" referenced in profile "\(name)" is not valid: use Environment, \
                Ec2InstanceMetadata or EcsContainer.
                """)
        }
    }

    private func environmentKeysForSource() throws(AWSConfigurationError) -> AWSCredentials? {
        guard let accessKey = environment["AWS_ACCESS_KEY_ID"], let secret = environment["AWS_SECRET_ACCESS_KEY"] else { return nil }
        return .init(accessKeyId: accessKey, secretAccessKey: secret,
                     sessionToken: environment["AWS_SESSION_TOKEN"] ?? environment["AWS_SECURITY_TOKEN"])
    }

    /// Web identity from the environment (unless `--profile` was given) or the profile, key by key as botocore.
    mutating func webIdentity(_ name: String, environmentAllowed: Bool) throws(AWSConfigurationError) -> WebIdentitySettings? {
        func setting(_ key: String, _ variable: String) -> (value: String, fromEnvironment: Bool)? {
            if environmentAllowed, let value = environment.variables[variable] { return (value, true) }
            return files.value(key, profile: name).map { ($0, false) }
        }
        guard let tokenFile = setting("web_identity_token_file", "AWS_WEB_IDENTITY_TOKEN_FILE"), !tokenFile.value.isEmpty else {
            return nil
        }
        guard let roleArn = setting("role_arn", "AWS_ROLE_ARN"), !roleArn.value.isEmpty else {
            throw AWSConfigurationError(.partialCredentials, """
                The provided profile or the current environment is configured to assume role with web identity but has \
                no role ARN configured. Set role_arn in profile \(name) or AWS_ROLE_ARN.
                """)
        }
        return WebIdentitySettings(profile: tokenFile.fromEnvironment ? nil : name, roleArn: roleArn.value,
                                   tokenFile: environment.expandingTilde(tokenFile.value),
                                   roleSessionName: setting("role_session_name", "AWS_ROLE_SESSION_NAME")?.value,
                                   sts: try stsEndpoint(), cacheFolder: environment.expandingTilde("~/.aws/cli/cache"))
    }
}
