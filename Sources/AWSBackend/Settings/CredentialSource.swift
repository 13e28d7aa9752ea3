import SigV4

/// Where the credentials of a session come from.
public enum CredentialSource: Sendable, Hashable {
    /// Fixed keys, and a phrase saying where they were found (`the environment`, `profile dev in ~/.aws/credentials`).
    case fixed(AWSCredentials, origin: String)
    /// A profile's `credential_process`, run when credentials are first needed and again when they expire.
    case process(CredentialProcess)

    /// Where the credentials come from, for messages.
    public var origin: String {
        switch self {
        case let .fixed(_, origin): origin
        case let .process(process): "the credential_process of profile \(process.profile)"
        }
    }
}
