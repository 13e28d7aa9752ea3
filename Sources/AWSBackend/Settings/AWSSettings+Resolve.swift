import Foundation
import SigV4

extension AWSSettings {
    /// Resolves profile, Region, endpoints and credentials from the command line, the environment and the
    /// shared files, in the aws CLI's order. Credential processes are not run here: only when a request is signed.
    public static func resolve(
        _ overrides: AWSOverrides = AWSOverrides(), environment: AWSEnvironment = .current
    ) throws(AWSConfigurationError) -> AWSSettings {
        let files = try SharedConfiguration.load(environment)
        let profile = try ProfileChoice(overrides: overrides, environment: environment, files: files)
        let region = try resolveRegion(overrides, environment, files, profile)
        let ignoreConfigured = (environment["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"]
            ?? files.value("ignore_configured_endpoint_urls", profile: profile.name))?.lowercased() == "true"
        try checkServicesSection(files, profile)

        var kmsEndpoint = overrides.endpointURL.map { (value: $0, origin: "--endpoint-url") }
        var cloudHSMEndpoint: (value: String, origin: String)?
        if kmsEndpoint == nil, !ignoreConfigured {
            kmsEndpoint = configuredEndpoint(service: "kms", environment, files, profile.name)
        }
        if overrides.endpointURL == nil, !ignoreConfigured {
            // Only a CloudHSMv2-specific setting counts here; a global one already reached KMS and is shared.
            cloudHSMEndpoint = environment["AWS_ENDPOINT_URL_CLOUDHSM_V2"].map { ($0, "AWS_ENDPOINT_URL_CLOUDHSM_V2") }
                ?? files.serviceValue("endpoint_url", service: "cloudhsm_v2", profile: profile.name)
                    .map { ($0, "the services section of profile \(profile.name)") }
        }
        let chain = CredentialChain(environment: environment, files: files, region: region, profile: profile)
        var settings = AWSSettings(
            profile: profile.name, region: region,
            customEndpoint: try kmsEndpoint.map { endpoint throws(AWSConfigurationError) in try parseEndpoint(endpoint.value, origin: endpoint.origin) },
            customCloudHSMEndpoint: try cloudHSMEndpoint.map { endpoint throws(AWSConfigurationError) in try parseEndpoint(endpoint.value, origin: endpoint.origin) },
            credentials: try resolveCredentials(environment, files, profile, region: region),
            maxAttempts: try resolveMaxAttempts(environment, files, profile)
        )
        settings.network = try NetworkSettings.resolve(environment, files, profile: profile.name)
        if let sts = chain.configuredEndpoint("sts") {
            settings.customSTSEndpoint = try parseEndpoint(sts.value, origin: sts.origin)
        }
        return settings
    }

    // MARK: Region

    private static func resolveRegion(
        _ overrides: AWSOverrides, _ environment: AWSEnvironment, _ files: SharedConfiguration, _ profile: ProfileChoice
    ) throws(AWSConfigurationError) -> String {
        if let region = overrides.region ?? environment["AWS_REGION"] ?? environment["AWS_DEFAULT_REGION"]
            ?? files.value("region", profile: profile.name) {
            try checkRegion(region)
            return region
        }
        throw AWSConfigurationError(.noRegion, """
            No AWS Region given. cks looked at:
              --region: not given
              AWS_REGION: not set
              AWS_DEFAULT_REGION: not set
              region of profile \(profile.name) (\(profile.origin)) in \(files.describe(files.configStatus, path: files.configPath)) \
            and \(files.describe(files.credentialsStatus, path: files.credentialsPath)): not set
            Pass --region us-east-1 (or several: --region us-east-1,eu-west-1), set AWS_REGION, or run `aws configure`.
            """)
    }

    // MARK: Endpoints

    private static func configuredEndpoint(
        service: String, _ environment: AWSEnvironment, _ files: SharedConfiguration, _ profile: String
    ) -> (value: String, origin: String)? {
        let variable = "AWS_ENDPOINT_URL_\(service.uppercased())"
        if let value = environment[variable] { return (value, variable) }
        if let value = environment["AWS_ENDPOINT_URL"] { return (value, "AWS_ENDPOINT_URL") }
        if let value = files.serviceValue("endpoint_url", service: service, profile: profile) {
            return (value, "the services section of profile \(profile)")
        }
        if let value = files.value("endpoint_url", profile: profile) { return (value, "endpoint_url of profile \(profile)") }
        return nil
    }

    private static func checkServicesSection(_ files: SharedConfiguration, _ profile: ProfileChoice) throws(AWSConfigurationError) {
        guard let name = files.value("services", profile: profile.name), files.services[name] == nil else { return }
        throw AWSConfigurationError(.invalidSetting, """
            Profile \(profile.name) is configured to use the services section "\(name)", but \(files.configPath) has no [services \(name)] section.
            """)
    }

    static func parseEndpoint(_ text: String, origin: String) throws(AWSConfigurationError) -> URL {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty else {
            throw AWSConfigurationError(.invalidSetting,
                                        "The endpoint \(text) (from \(origin)) is not an http:// or https:// URL with a host.")
        }
        return url
    }

    // MARK: Attempts

    private static func resolveMaxAttempts(
        _ environment: AWSEnvironment, _ files: SharedConfiguration, _ profile: ProfileChoice
    ) throws(AWSConfigurationError) -> Int {
        let origin = environment["AWS_MAX_ATTEMPTS"] != nil ? "AWS_MAX_ATTEMPTS" : "max_attempts of profile \(profile.name)"
        guard let text = environment["AWS_MAX_ATTEMPTS"] ?? files.value("max_attempts", profile: profile.name) else { return 5 }
        guard let value = Int(text), value >= 1 else {
            throw AWSConfigurationError(.invalidSetting, "\(origin) is \(text); it must be a whole number of at least 1.")
        }
        return value
    }
}

/// The profile in use and how it was chosen.
struct ProfileChoice {
    var name: String
    /// `--profile`, `AWS_PROFILE`, `AWS_DEFAULT_PROFILE` or `the default`.
    var origin: String
    /// Named on the command line: environment keys are then not used (as in the aws CLI).
    var explicitOnCommandLine: Bool

    init(overrides: AWSOverrides, environment: AWSEnvironment, files: SharedConfiguration) throws(AWSConfigurationError) {
        if let name = overrides.profile {
            (self.name, origin, explicitOnCommandLine) = (name, "--profile", true)
        } else if let name = environment["AWS_PROFILE"] {
            (self.name, origin, explicitOnCommandLine) = (name, "AWS_PROFILE", false)
        } else if let name = environment["AWS_DEFAULT_PROFILE"] {
            (self.name, origin, explicitOnCommandLine) = (name, "AWS_DEFAULT_PROFILE", false)
        } else {
            (self.name, origin, explicitOnCommandLine) = ("default", "the default", false)
        }
        if origin != "the default", !files.hasProfile(name) {
            throw AWSConfigurationError(.profileNotFound, """
                The config profile (\(name)) could not be found. cks looked in \
                \(files.describe(files.configStatus, path: files.configPath)) for [profile \(name)] and in \
                \(files.describe(files.credentialsStatus, path: files.credentialsPath)) for [\(name)]. It was named by \(origin).
                """)
        }
    }
}
