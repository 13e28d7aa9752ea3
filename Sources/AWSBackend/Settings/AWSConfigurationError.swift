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
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
