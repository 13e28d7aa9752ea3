/// Settings given on the command line, which win over the environment and the files.
public struct AWSOverrides: Sendable, Hashable {
    /// `--profile`: an explicit profile, which also stops `AWS_ACCESS_KEY_ID` from being used (as in the aws CLI).
    public var profile: String?
    /// `--region`: one Region.
    public var region: String?
    /// `--endpoint-url`: KMS (and CloudHSMv2) at this URL.
    public var endpointURL: String?

    public init(profile: String? = nil, region: String? = nil, endpointURL: String? = nil) {
        self.profile = profile
        self.region = region
        self.endpointURL = endpointURL
    }
}
