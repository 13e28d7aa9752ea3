import Foundation
import SigV4

/// Where the credentials of a session come from, as the aws CLI's credential chain finds them.
public indirect enum CredentialSource: Sendable, Hashable {
    /// Fixed keys, and a phrase saying where they were found (`the environment`, `profile dev in the credentials file …`).
    case fixed(AWSCredentials, origin: String)
    /// A profile's `credential_process`, run when credentials are first needed and again when they expire.
    case process(CredentialProcess)
    /// STS AssumeRole with the credentials of another source (`source_profile` or `credential_source`).
    case assumeRole(AssumeRoleSettings)
    /// STS AssumeRoleWithWebIdentity with a token file (`AWS_WEB_IDENTITY_TOKEN_FILE`, `web_identity_token_file`).
    case webIdentity(WebIdentitySettings)
    /// IAM Identity Center: the token `aws sso login` cached, then the portal's role credentials.
    case singleSignOn(SingleSignOnSettings)
    /// The container credentials endpoint (`AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` / `_FULL_URI`).
    case container(ContainerSettings)
    /// The EC2 instance metadata service (IMDSv2).
    case instanceMetadata(InstanceMetadataSettings)

    /// Where the credentials come from, for messages.
    public var origin: String {
        switch self {
        case let .fixed(_, origin): origin
        case let .process(process): "the credential_process of profile \(process.profile)"
        case let .assumeRole(role): "role \(role.roleArn) of profile \(role.profile), assumed with \(role.source.origin)"
        case let .webIdentity(web): "role \(web.roleArn) assumed with the web identity token \(web.tokenFile)" + (web.profile.map { " (profile \($0))" } ?? "")
        case let .singleSignOn(sso): "IAM Identity Center (role \(sso.roleName) in \(sso.accountId), profile \(sso.profile))"
        case let .container(container): "the container credentials endpoint \(container.url.absoluteString)"
        case let .instanceMetadata(imds): "the EC2 instance metadata service \(imds.endpoint.absoluteString)"
        }
    }

    /// The name botocore gives this source (`Credentials.method`): `env`, `shared-credentials-file`,
    /// `custom-process`, `config-file`, `assume-role`, `assume-role-with-web-identity`, `sso`, `container-role`,
    /// `iam-role`; `static` for keys given in code.
    public var method: String {
        switch self {
        case let .fixed(_, origin):
            if origin.hasPrefix(Self.environmentOrigin) { "env" }
            else if origin.contains(" in the credentials file ") { "shared-credentials-file" }
            else if origin.contains(" in the config file ") { "config-file" }
            else { "static" }
        case .process: "custom-process"
        case .assumeRole: "assume-role"
        case .webIdentity: "assume-role-with-web-identity"
        case .singleSignOn: "sso"
        case .container: "container-role"
        case .instanceMetadata: "iam-role"
        }
    }

    static let environmentOrigin = "the environment"

    /// True when fetching asks a person for a code: a role with `mfa_serial`, here or down its chain of sources.
    public var needsCode: Bool {
        guard case let .assumeRole(role) = self else { return false }
        return role.mfaSerial != nil || role.source.needsCode
    }
}

/// Where STS is: its URL and the Region to sign for.
public struct STSEndpoint: Sendable, Hashable {
    public var url: URL
    public var region: String

    public init(url: URL, region: String) {
        self.url = url
        self.region = region
    }
}

/// A profile's `role_arn` and the settings of its AssumeRole call.
public struct AssumeRoleSettings: Sendable, Hashable {
    public var profile: String
    public var roleArn: String
    public var source: CredentialSource
    public var externalId: String?
    /// `role_session_name`; nil for botocore's `botocore-session-<epoch seconds>`.
    public var roleSessionName: String?
    public var durationSeconds: Int?
    /// `mfa_serial`: the code is asked for on each AssumeRole.
    public var mfaSerial: String?
    public var sts: STSEndpoint
    /// The aws CLI's cache of assumed-role credentials (`~/.aws/cli/cache`), read and written as the CLI does;
    /// nil for none.
    public var cacheFolder: String?

    public init(profile: String, roleArn: String, source: CredentialSource, externalId: String? = nil, roleSessionName: String? = nil,
                durationSeconds: Int? = nil, mfaSerial: String? = nil, sts: STSEndpoint, cacheFolder: String? = nil) {
        self.profile = profile
        self.roleArn = roleArn
        self.source = source
        self.externalId = externalId
        self.roleSessionName = roleSessionName
        self.durationSeconds = durationSeconds
        self.mfaSerial = mfaSerial
        self.sts = sts
        self.cacheFolder = cacheFolder
    }
}

/// AssumeRoleWithWebIdentity: the role, the token file (read again at each call), the session name.
public struct WebIdentitySettings: Sendable, Hashable {
    /// The profile the settings came from; nil when they came from the environment.
    public var profile: String?
    public var roleArn: String
    public var tokenFile: String
    public var roleSessionName: String?
    public var sts: STSEndpoint
    /// The aws CLI's cache (`~/.aws/cli/cache`), which the CLI gives its web identity provider too; nil for none.
    public var cacheFolder: String?
}

/// An IAM Identity Center profile: an `sso_session` (token refreshable) or a legacy `sso_start_url` profile.
public struct SingleSignOnSettings: Sendable, Hashable {
    public var profile: String
    /// The `sso_session` name; nil for a legacy profile.
    public var sessionName: String?
    public var startURL: String
    public var ssoRegion: String
    public var accountId: String
    public var roleName: String
    /// `~/.aws/sso/cache`.
    public var tokenCacheFolder: String
    public var portalEndpoint: URL
    public var oidcEndpoint: URL

    /// The cached token's file: the SHA-1 of the session name (or, for a legacy profile, of the start URL).
    public var tokenCachePath: String {
        tokenCacheFolder + "/" + SHA1Hex.of(sessionName ?? startURL) + ".json"
    }
}

/// The container credentials endpoint and its authorization.
public struct ContainerSettings: Sendable, Hashable {
    public var url: URL
    /// `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`, read at each call (it rotates).
    public var authorizationTokenFile: String?
    /// `AWS_CONTAINER_AUTHORIZATION_TOKEN`.
    public var authorizationToken: String?
}

/// The instance metadata service's address and the aws CLI's patience with it.
public struct InstanceMetadataSettings: Sendable, Hashable {
    public var endpoint: URL
    /// `AWS_METADATA_SERVICE_TIMEOUT` / `metadata_service_timeout`, 1 s by default.
    public var timeout: Double
    /// `AWS_METADATA_SERVICE_NUM_ATTEMPTS` / `metadata_service_num_attempts`, 1 by default.
    public var attempts: Int
    /// When the service is the chain's last resort: what the other sources lacked, told with its own failure.
    public var whereLooked: String?
}
