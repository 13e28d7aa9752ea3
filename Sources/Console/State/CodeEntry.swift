import KeyStoreEngine

/// A one-time code the backend asked for, and the digits typed so far.
public struct CodeEntry: Sendable, Equatable {
    public var id: Int
    public var request: CodeRequest
    public var typed = ""

    /// An MFA device's code: six digits (AWS's TokenCode).
    static let length = 6

    public init(id: Int, request: CodeRequest) {
        self.id = id
        self.request = request
    }
}
