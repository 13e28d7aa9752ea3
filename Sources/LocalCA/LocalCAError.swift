/// Why the local certificate authority could not load, make or issue a certificate.
public struct LocalCAError: Error, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
