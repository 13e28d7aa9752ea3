/// Why a request's signature was refused, named and worded as AWS answers it.
public struct SigV4Error: Error, Sendable, Hashable, CustomStringConvertible {
    /// The AWS exception name (`__type` in a JSON error).
    public enum Code: String, Sendable, Hashable {
        case incompleteSignature = "IncompleteSignatureException"
        case missingAuthenticationToken = "MissingAuthenticationTokenException"
        case unrecognizedClient = "UnrecognizedClientException"
        case invalidSignature = "InvalidSignatureException"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}

extension SigV4Error {
    static let missingAuthenticationToken = SigV4Error(.missingAuthenticationToken, "Missing Authentication Token")

    static let invalidSecurityToken = SigV4Error(
        .unrecognizedClient, "The security token included in the request is invalid."
    )

    static let signatureMismatch = SigV4Error(
        .invalidSignature,
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
    )

    static func incomplete(_ problems: String, authorization: String) -> SigV4Error {
        SigV4Error(.incompleteSignature, "\(problems) Authorization=\(authorization)")
    }
}
