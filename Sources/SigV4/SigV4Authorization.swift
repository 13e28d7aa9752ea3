/// The parts of an `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…` header.
public struct SigV4Authorization: Sendable, Hashable {
    public static let algorithm = "AWS4-HMAC-SHA256"
    public static let terminator = "aws4_request"

    public var accessKeyId: String
    /// The credential scope's day, `yyyyMMdd`.
    public var date: String
    public var region: String
    public var service: String
    /// Lower-case names, in the order the signer listed them.
    public var signedHeaders: [String]
    /// Lower-case hex.
    public var signature: String

    public init(
        accessKeyId: String, date: String, region: String, service: String, signedHeaders: [String], signature: String
    ) {
        self.accessKeyId = accessKeyId
        self.date = date
        self.region = region
        self.service = service
        self.signedHeaders = signedHeaders
        self.signature = signature
    }

    /// `yyyyMMdd/region/service/aws4_request`.
    public var credentialScope: String {
        [date, region, service, Self.terminator].joined(separator: "/")
    }

    public var headerValue: String {
        "\(Self.algorithm) Credential=\(accessKeyId)/\(credentialScope), SignedHeaders=\(signedHeaders.joined(separator: ";")), Signature=\(signature)"
    }

    /// Reads a header value; the parameters may come in any order, separated by commas.
    public init(parsing value: String) throws(SigV4Error) {
        let trimmed = value.trimmingSpaces
        let algorithm = trimmed[..<(trimmed.utf8.firstIndex(of: UInt8(ascii: " ")) ?? trimmed.endIndex)]
        guard algorithm == Self.algorithm else {
            throw .incomplete("Unsupported AWS 'algorithm': '\(algorithm)'.", authorization: value)
        }
        let parameters = Self.parameters(trimmed[algorithm.endIndex...])
        let missing = ["Credential", "Signature", "SignedHeaders"].filter { parameters[$0, default: ""].isEmpty }
        guard missing.isEmpty, let credential = parameters["Credential"], let signedHeaders = parameters["SignedHeaders"],
              let signature = parameters["Signature"]
        else {
            let problems = missing.map { "Authorization header requires '\($0)' parameter." }
            throw .incomplete(problems.joined(separator: " "), authorization: value)
        }
        let scope = credential.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
            .map { String(Substring($0)) }
        guard scope.count == 5 else {
            throw SigV4Error(
                .incompleteSignature,
                "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '\(credential)'"
            )
        }
        guard scope[4] == Self.terminator else {
            throw SigV4Error(
                .invalidSignature,
                "Credential should be scoped with a valid terminator: '\(Self.terminator)', not '\(scope[4])'."
            )
        }
        self.init(
            accessKeyId: scope[0], date: scope[1], region: scope[2], service: scope[3],
            signedHeaders: signedHeaders.utf8.split(separator: UInt8(ascii: ";")).map { String(Substring($0)) },
            signature: signature
        )
    }

    /// `name=value` pairs split on commas; the first of a repeated name wins. Works on bytes: the header is
    /// ASCII, and `Character`-wise splitting was a fifth of a request's verification.
    private static func parameters(_ text: Substring) -> [String: String] {
        var parameters: [String: String] = [:]
        for part in text.utf8.split(separator: UInt8(ascii: ",")) {
            let pair = trimmed(part)
            guard let equals = pair.firstIndex(of: UInt8(ascii: "=")) else { continue }
            let name = String(Substring(pair[..<equals]))
            guard parameters[name] == nil else { continue }
            parameters[name] = String(Substring(pair[pair.index(after: equals)...]))
        }
        return parameters
    }

    private static func trimmed(_ bytes: Substring.UTF8View) -> Substring.UTF8View {
        let space = UInt8(ascii: " ")
        guard let first = bytes.firstIndex(where: { $0 != space }), let last = bytes.lastIndex(where: { $0 != space }) else {
            return bytes[bytes.endIndex...]
        }
        return bytes[first...last]
    }
}

extension StringProtocol {
    fileprivate var trimmingSpaces: Substring {
        let text = Substring(self)
        let space = UInt8(ascii: " ")
        guard let first = text.utf8.firstIndex(where: { $0 != space }), let last = text.utf8.lastIndex(where: { $0 != space }) else {
            return text[text.endIndex...]
        }
        return text[first...last]
    }
}
