import Foundation

/// How the credentials of a session stand, for the console's header (the details go to the event log).
public enum CredentialStatus: Sendable, Equatable {
    /// They work; the account they belong to, when the source says.
    case valid(accountId: String?)
    /// The last refresh failed; the keys in hand still sign until `until`.
    case refreshFailing(reason: String, until: Date)
    /// No keys that work: every request fails until a refresh succeeds.
    case failed(reason: String)
}

/// A one-time code a credential source needs from the person: the code of the MFA device `serial`
/// (a profile's `mfa_serial`), asked for when a role is assumed.
public struct CodeRequest: Sendable, Equatable {
    /// The device: an MFA ARN or a hardware token's serial number.
    public var serial: String
    /// The profile whose role needs it.
    public var profile: String?

    public init(serial: String, profile: String? = nil) {
        self.serial = serial
        self.profile = profile
    }
}

/// A backend whose credentials refresh on their own and may need a person: the console shows how they stand in
/// its header and asks for one-time codes in a prompt of its own (the terminal is the console's).
public protocol SessionCredentials: KeyStoreService {
    /// The status now (when known), then each change, until the consumer stops iterating.
    func credentialStatus() -> AsyncStream<CredentialStatus>
    /// From now on, codes are asked through `ask`; a nil answer means the person gave none.
    func askForCodes(with ask: @escaping @Sendable (CodeRequest) async -> String?) async
}
