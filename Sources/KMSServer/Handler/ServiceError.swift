import KeyStoreEngine
import SigV4

/// A refusal as the endpoint sends it: the exception name for `__type`, a message and the HTTP status.
struct ServiceError: Error, Sendable {
    var type: String
    var message: String
    var status: Int

    init(type: String, message: String, status: Int = 400) {
        self.type = type
        self.message = message
        self.status = status
    }

    /// KMS errors are HTTP 400, except server faults (KMSInternalException, DependencyTimeoutException): 500.
    init(_ error: KMSError) {
        self.init(type: error.code.rawValue, message: error.message, status: error.code.isServerFault ? 500 : 400)
    }

    /// Signature errors are HTTP 400 in the JSON protocol, as KMS answers them.
    init(_ error: SigV4Error) {
        self.init(type: error.code.rawValue, message: error.message, status: 400)
    }

    /// The JSON body, `{"__type": …, "message": …}`.
    var body: JSONValue {
        .object([("__type", .string(type)), ("message", .string(message))])
    }
}

extension KMSError.Code {
    static let requestEntityTooLarge = KMSError.Code("RequestEntityTooLargeException")
    static let cloudHsmInvalidRequest = KMSError.Code("CloudHsmInvalidRequestException")
}
