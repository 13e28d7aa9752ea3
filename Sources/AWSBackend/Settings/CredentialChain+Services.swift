import Foundation

extension CredentialChain {
    /// An IAM Identity Center profile: one with `sso_account_id` or `sso_role_name` (botocore's trigger), its
    /// `sso_session` section or its own legacy `sso_start_url` and `sso_region`.
    func singleSignOn(_ name: String) throws(AWSConfigurationError) -> SingleSignOnSettings? {
        guard files.has("sso_account_id", profile: name) || files.has("sso_role_name", profile: name) else { return nil }
        var settings: [String: String] = [:]
        for key in ["sso_account_id", "sso_role_name", "sso_start_url", "sso_region", "sso_session"] {
            settings[key] = files.value(key, profile: name)
        }
        var required = ["sso_role_name", "sso_account_id", "sso_start_url", "sso_region"]
        if let sessionName = settings["sso_session"] {
            guard let session = files.ssoSessions[sessionName] else {
                throw AWSConfigurationError(.invalidSetting, """
                    The specified sso-session does not exist: "\(sessionName)" (profile \(name)). Add [sso-session \(sessionName)] \
                    to \(files.configPath), or run `aws configure sso --profile \(name)`.
                    """)
            }
            for (key, value) in session.values where !value.isEmpty {
                if let own = settings[key], own != value {
                    throw AWSConfigurationError(.invalidSetting,
                                                "The value for \(key) is inconsistent between profile (\(own)) and sso-session (\(value)).")
                }
                settings[key] = value
            }
            required.append("sso_session")
        }
        let missing = required.filter { settings[$0] == nil }
        guard missing.isEmpty else {
            throw AWSConfigurationError(.partialCredentials,
                                        "The profile \"\(name)\" is configured to use SSO but is missing required configuration: \(missing.joined(separator: ", ")).")
        }
        let ssoRegion = settings["sso_region"]!
        let regionHost = AWSSettings.isRegionName(ssoRegion) ? ssoRegion : "invalid-region"
        let portal = try configuredEndpoint("sso").map { endpoint throws(AWSConfigurationError) in
            try AWSSettings.parseEndpoint(endpoint.value, origin: endpoint.origin)
        } ?? URL(string: "https://portal.sso.\(regionHost).amazonaws.com")!
        let oidc = try configuredEndpoint("sso_oidc").map { endpoint throws(AWSConfigurationError) in
            try AWSSettings.parseEndpoint(endpoint.value, origin: endpoint.origin)
        } ?? URL(string: "https://oidc.\(regionHost).amazonaws.com")!
        return SingleSignOnSettings(
            profile: name, sessionName: settings["sso_session"], startURL: settings["sso_start_url"]!, ssoRegion: ssoRegion,
            accountId: settings["sso_account_id"]!, roleName: settings["sso_role_name"]!,
            tokenCacheFolder: environment.expandingTilde("~/.aws/sso/cache"), portalEndpoint: portal, oidcEndpoint: oidc)
    }

    /// The container endpoint: `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` on 169.254.170.2, else `_FULL_URI`
    /// (https, or http to a loopback address or one of the container hosts botocore allows).
    func containerSource() throws(AWSConfigurationError) -> CredentialSource? {
        let url: URL
        if let relative = environment.variables["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] {
            guard let parsed = URL(string: "http://169.254.170.2" + relative) else {
                throw AWSConfigurationError(.invalidSetting, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (\(relative)) is not a URL path.")
            }
            url = parsed
        } else if let full = environment.variables["AWS_CONTAINER_CREDENTIALS_FULL_URI"] {
            guard let parsed = URL(string: full), let scheme = parsed.scheme?.lowercased(), let host = parsed.host else {
                throw AWSConfigurationError(.invalidSetting, "AWS_CONTAINER_CREDENTIALS_FULL_URI (\(full)) is not a URL.")
            }
            let allowed = ["169.254.170.2", "169.254.170.23", "fd00:ec2::23", "[fd00:ec2::23]", "localhost"]
            guard scheme == "https" || Self.isLoopback(host) || allowed.contains(host) else {
                throw AWSConfigurationError(.invalidSetting, """
                    Unsupported host '\(host)' in AWS_CONTAINER_CREDENTIALS_FULL_URI. Can only retrieve metadata from a loopback \
                    address or one of these hosts: 169.254.170.2, 169.254.170.23, fd00:ec2::23, localhost.
                    """)
            }
            url = parsed
        } else {
            return nil
        }
        return .container(ContainerSettings(url: url, authorizationTokenFile: environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"],
                                            authorizationToken: environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"]))
    }

    /// 127.0.0.0/8 and ::1.
    static func isLoopback(_ host: String) -> Bool {
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if bare == "::1" { return true }
        let parts = bare.split(separator: ".")
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    /// The instance metadata service unless `AWS_EC2_METADATA_DISABLED=true`, at `AWS_EC2_METADATA_SERVICE_ENDPOINT`
    /// (or `ec2_metadata_service_endpoint`, or the IPv6 address for endpoint mode IPv6), else 169.254.169.254.
    mutating func instanceMetadataSource(reportingWhereLooked: Bool) throws(AWSConfigurationError) -> CredentialSource? {
        if environment["AWS_EC2_METADATA_DISABLED"]?.lowercased() == "true" { return nil }
        let name = profile.name
        let mode = (environment["AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"]
            ?? files.value("ec2_metadata_service_endpoint_mode", profile: name))?.lowercased()
        let text = environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"] ?? files.value("ec2_metadata_service_endpoint", profile: name)
            ?? (mode == "ipv6" ? "http://[fd00:ec2::254]/" : "http://169.254.169.254/")
        let endpoint = try AWSSettings.parseEndpoint(text, origin: "AWS_EC2_METADATA_SERVICE_ENDPOINT")
        let timeoutText = environment["AWS_METADATA_SERVICE_TIMEOUT"] ?? files.value("metadata_service_timeout", profile: name)
        let attemptsText = environment["AWS_METADATA_SERVICE_NUM_ATTEMPTS"] ?? files.value("metadata_service_num_attempts", profile: name)
        guard let timeout = Double(timeoutText ?? "1"), timeout > 0 else {
            throw AWSConfigurationError(.invalidSetting, "The metadata service timeout (\(timeoutText ?? "")) must be a positive number of seconds.")
        }
        guard let attempts = Int(attemptsText ?? "1"), attempts >= 1 else {
            throw AWSConfigurationError(.invalidSetting, "The metadata service attempts (\(attemptsText ?? "")) must be a whole number of at least 1.")
        }
        let settings = InstanceMetadataSettings(endpoint: endpoint, timeout: timeout, attempts: attempts,
                                                whereLooked: reportingWhereLooked ? noCredentials().message : nil)
        return .instanceMetadata(settings)
    }
}
