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
    /// STS at `AWS_ENDPOINT_URL_STS`, `AWS_ENDPOINT_URL` or the profile's endpoints; nil for the Region's.
    public var customSTSEndpoint: URL?
    /// Proxies and the CA bundle (`HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY`, `AWS_CA_BUNDLE`, `ca_bundle`).
    public var network: NetworkSettings = .direct
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
        customEndpoint ?? Self.awsEndpoint("kms", region: region)
    }

    /// Where GetCallerIdentity goes: the custom STS endpoint, else `https://sts.<region>.amazonaws.com`.
    public var stsEndpoint: STSEndpoint {
        STSEndpoint(url: customSTSEndpoint ?? Self.awsEndpoint("sts", region: region), region: region)
    }

    /// `https://cloudhsmv2.<region>.amazonaws.com`; with a custom KMS endpoint, that same endpoint (`cks serve`
    /// answers both), unless CloudHSMv2 has one of its own.
    public var cloudHSMEndpoint: URL {
        customCloudHSMEndpoint ?? customEndpoint ?? Self.awsEndpoint("cloudhsmv2", region: region)
    }

    /// True when a Region can be part of a host name: ASCII letters, digits and hyphens (`us-east-1`).
    public static func isRegionName(_ region: String) -> Bool {
        !region.isEmpty && region.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "-")
        }
    }

    /// Throws, saying why, when a Region from the command line, the environment or a profile cannot be one.
    public static func checkRegion(_ region: String) throws(AWSConfigurationError) {
        guard !isRegionName(region) else { return }
        throw AWSConfigurationError(.invalidSetting,
                                    "\(region) is not a Region name (like us-east-1): only the letters a-z, digits and hyphens.")
    }

    /// `https://<service>.<region>.amazonaws.com`. Regions are checked where they come in (`checkRegion`); one that
    /// still cannot be part of a host name gives the reserved `https://<service>.invalid-region.invalid`, which no
    /// request reaches, instead of a crash.
    private static func awsEndpoint(_ service: String, region: String) -> URL {
        if isRegionName(region), let url = URL(string: "https://\(service).\(region).amazonaws.com") { return url }
        return URL(string: "https://\(service).invalid-region.invalid")!  // Built from constants only.
    }

    /// The same settings in another Region (endpoints follow unless custom).
    public func with(region: String) -> AWSSettings {
        var copy = self
        copy.region = region
        return copy
    }
}
