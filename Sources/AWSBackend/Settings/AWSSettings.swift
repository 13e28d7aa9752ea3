import Foundation

/// Everything a session with KMS needs, resolved as the aws CLI resolves it.
public struct AWSSettings: Sendable, Hashable {
    /// The profile whose settings apply (`default` when none was named).
    public var profile: String
    public var region: String
    /// An endpoint from `--endpoint-url`, `AWS_ENDPOINT_URL_KMS`, `AWS_ENDPOINT_URL` or the config file; nil for AWS.
    public var customEndpoint: URL?
    /// A CloudHSMv2 endpoint of its own (`AWS_ENDPOINT_URL_CLOUDHSM_V2` or the services section); nil to follow KMS.
    public var customCloudHSMEndpoint: URL?
    public var credentials: CredentialSource
    /// Attempts per request, retries included (`AWS_MAX_ATTEMPTS`, `max_attempts`; default 5).
    public var maxAttempts: Int

    public init(
        profile: String, region: String, customEndpoint: URL? = nil, customCloudHSMEndpoint: URL? = nil,
        credentials: CredentialSource, maxAttempts: Int = 5
    ) {
        self.profile = profile
        self.region = region
        self.customEndpoint = customEndpoint
        self.customCloudHSMEndpoint = customCloudHSMEndpoint
        self.credentials = credentials
        self.maxAttempts = maxAttempts
    }

    /// `https://kms.<region>.amazonaws.com`, or the custom endpoint.
    public var kmsEndpoint: URL {
        customEndpoint ?? URL(string: "https://kms.\(region).amazonaws.com")!
    }

    /// `https://cloudhsmv2.<region>.amazonaws.com`; with a custom KMS endpoint, that same endpoint (`cks serve`
    /// answers both), unless CloudHSMv2 has one of its own.
    public var cloudHSMEndpoint: URL {
        customCloudHSMEndpoint ?? customEndpoint ?? URL(string: "https://cloudhsmv2.\(region).amazonaws.com")!
    }

    /// The same settings in another Region (endpoints follow unless custom).
    public func with(region: String) -> AWSSettings {
        var copy = self
        copy.region = region
        return copy
    }
}
