import Foundation

/// An error of the XKS Proxy API v1: the `errorName` a proxy answers with, its HTTP status, and a message.
/// A proxy throws it and a client reads it back from the body `{"errorName": …, "errorMessage": …}`.
public struct XKSError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The spec's error names (section "Error codes"), each with the one HTTP status it is sent with.
    public enum Name: String, Sendable, Hashable, CaseIterable, Codable {
        case validation = "ValidationException"
        case invalidState = "InvalidStateException"
        case invalidCiphertext = "InvalidCiphertextException"
        case invalidKeyUsage = "InvalidKeyUsageException"
        case authenticationFailed = "AuthenticationFailedException"
        case accessDenied = "AccessDeniedException"
        case keyNotFound = "KeyNotFoundException"
        case invalidUriPath = "InvalidUriPathException"
        case throttling = "ThrottlingException"
        case `internal` = "InternalException"
        case unsupportedOperation = "UnsupportedOperationException"
        case dependencyTimeout = "DependencyTimeoutException"

        public var httpStatus: Int {
            switch self {
            case .validation, .invalidState, .invalidCiphertext, .invalidKeyUsage: 400
            case .authenticationFailed: 401
            case .accessDenied: 403
            case .keyNotFound, .invalidUriPath: 404
            case .throttling: 429
            case .internal: 500
            case .unsupportedOperation: 501
            case .dependencyTimeout: 503
            }
        }
    }

    public var name: Name
    /// At most 512 printable ASCII characters on the wire; never carries plaintext.
    public var message: String

    public init(_ name: Name, _ message: String) {
        self.name = name
        self.message = message
    }

    public var httpStatus: Int { name.httpStatus }
    public var description: String { "\(name.rawValue): \(message)" }

    /// The JSON error body the spec defines.
    public var body: XKSErrorBody { XKSErrorBody(errorName: name.rawValue, errorMessage: Self.wireMessage(message)) }

    /// The message cut to 512 characters with anything outside printable ASCII replaced by `?`.
    static func wireMessage(_ message: String) -> String {
        String(String.UnicodeScalarView(message.unicodeScalars.prefix(512).map { (0x20...0x7E).contains($0.value) ? $0 : "?" }))
    }
}

/// The body of a proxy's error answer.
public struct XKSErrorBody: Codable, Sendable, Hashable {
    public var errorName: String
    public var errorMessage: String?

    public init(errorName: String, errorMessage: String?) {
        self.errorName = errorName
        self.errorMessage = errorMessage
    }
}

extension XKSError {
    /// Reads a proxy's error answer back, as a client does: the `errorName` of the body when it is one of the
    /// spec's, nil for anything else (which a client treats as an invalid response).
    public static func parse(body: [UInt8]) -> XKSError? {
        guard let decoded = try? JSONDecoder().decode(XKSErrorBody.self, from: Data(body)),
              let name = Name(rawValue: decoded.errorName) else { return nil }
        return XKSError(name, decoded.errorMessage ?? "")
    }
}
