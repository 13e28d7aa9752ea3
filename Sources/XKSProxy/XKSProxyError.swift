/// A failure of the proxy's own machinery (its state file, its configuration, its listener), as opposed to
/// an `XKSError` answered to a client. The message says what to do.
public struct XKSProxyError: Error, Sendable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
