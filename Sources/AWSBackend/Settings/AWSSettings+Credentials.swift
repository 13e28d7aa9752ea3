import SigV4

extension AWSSettings {
    /// The credential chain of the aws CLI, as far as cks follows it: the environment (unless `--profile`), then
    /// the profile's keys in the credentials file, its `credential_process`, its keys in the config file.
    static func resolveCredentials(
        _ environment: AWSEnvironment, _ files: SharedConfiguration, _ profile: ProfileChoice
    ) throws(AWSConfigurationError) -> CredentialSource {
        var looked: [String] = []
        if profile.explicitOnCommandLine {
            looked.append("the environment: skipped, because --profile names a profile (as the aws CLI does)")
        } else if let keys = try environmentKeys(environment) {
            return .fixed(keys, origin: "the environment (AWS_ACCESS_KEY_ID)")
        } else {
            looked.append("the environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set")
        }

        let name = profile.name
        if let unsupported = unsupportedProvider(files, name) {
            throw AWSConfigurationError(.unsupportedCredentials, """
                Profile \(name) gets its credentials through \(unsupported), which cks does not call. Give cks a profile \
                with `credential_process = aws configure export-credentials --profile \(name) --format process`, or set \
                AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN (`aws configure export-credentials --profile \(name) --format env`).
                """)
        }
        if let keys = try fileKeys(files.credentialsProfiles[name], file: files.credentialsPath, profile: name) {
            return .fixed(keys, origin: "profile \(name) in \(files.credentialsPath)")
        }
        looked.append("[\(name)] in \(files.describe(files.credentialsStatus, path: files.credentialsPath)): "
                      + (files.credentialsProfiles[name] == nil ? "no such profile" : "no aws_access_key_id"))
        if let command = files.value("credential_process", profile: name) {
            return .process(CredentialProcess(command: command, profile: name))
        }
        if let keys = try fileKeys(files.configProfiles[name], file: files.configPath, profile: name) {
            return .fixed(keys, origin: "profile \(name) in \(files.configPath)")
        }
        let header = name == "default" ? "[default]" : "[profile \(name)]"
        looked.append("\(header) in \(files.describe(files.configStatus, path: files.configPath)): "
                      + (files.configProfiles[name] == nil ? "no such profile" : "no credential_process or aws_access_key_id"))
        throw AWSConfigurationError(.noCredentials, """
            No AWS credentials for profile \(name) (\(profile.origin)). cks looked at:
            \(looked.map { "  " + $0 }.joined(separator: "\n"))
            cks does not read EC2 instance or container credentials, nor call STS or IAM Identity Center itself.
            Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, run `aws configure`, or pass --profile NAME.
            """)
    }

    private static func environmentKeys(_ environment: AWSEnvironment) throws(AWSConfigurationError) -> AWSCredentials? {
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

    private static func fileKeys(_ section: ConfigFile.Section?, file: String, profile: String) throws(AWSConfigurationError) -> AWSCredentials? {
        func value(_ key: String) -> String? { section?.values[key].flatMap { $0.isEmpty ? nil : $0 } }
        guard let accessKey = value("aws_access_key_id") else { return nil }
        guard let secret = value("aws_secret_access_key") else {
            throw AWSConfigurationError(.partialCredentials,
                                        "Profile \(profile) in \(file) has aws_access_key_id but no aws_secret_access_key.")
        }
        return AWSCredentials(accessKeyId: accessKey, secretAccessKey: secret,
                              sessionToken: value("aws_session_token") ?? value("aws_security_token"))
    }

    /// A credential provider of the aws CLI that comes before the profile's own keys and that cks does not run.
    private static func unsupportedProvider(_ files: SharedConfiguration, _ profile: String) -> String? {
        if files.value("role_arn", profile: profile) != nil { return "role_arn (STS AssumeRole)" }
        if files.value("web_identity_token_file", profile: profile) != nil { return "web_identity_token_file (STS AssumeRoleWithWebIdentity)" }
        if files.value("sso_session", profile: profile) != nil || files.value("sso_start_url", profile: profile) != nil {
            return "IAM Identity Center (sso_session / sso_start_url)"
        }
        return nil
    }
}
