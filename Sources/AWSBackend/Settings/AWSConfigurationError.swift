/// Why cks cannot talk to AWS yet: no credentials, no Region, a missing profile, a broken file or
/// credential process. The message says where cks looked and what to do.
public struct AWSConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, for tests and callers that branch on it.
    public enum Kind: String, Sendable, Hashable {
        case noCredentials
        case partialCredentials
        case noRegion
        case profileNotFound
        case unreadableFile
        case credentialProcess
        case unsupportedCredentials
        case invalidSetting
        /// Temporary credentials could not be fetched: STS, the container endpoint, the instance metadata service.
        case fetchFailed
        /// The IAM Identity Center token is missing or expired: `aws sso login` is needed.
        case ssoLoginNeeded
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
