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
        var text = value
        let parts = text.withUTF8 { HeaderParts($0) }
        guard parts.algorithm == Self.algorithm else {
            throw .incomplete("Unsupported AWS 'algorithm': '\(parts.algorithm)'.", authorization: value)
        }
        guard let credential = parts.credential, !credential.isEmpty,
              let signedHeaders = parts.signedHeaders, !signedHeaders.isEmpty,
              let signature = parts.signature, !signature.isEmpty
        else {
            let missing = [("Credential", parts.credential), ("Signature", parts.signature),
                           ("SignedHeaders", parts.signedHeaders)].filter { $0.1?.isEmpty ?? true }
            let problems = missing.map { "Authorization header requires '\($0.0)' parameter." }
            throw .incomplete(problems.joined(separator: " "), authorization: value)
        }
        let scope = Self.fields(of: credential, separator: UInt8(ascii: "/"), omittingEmpty: false)
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
            signedHeaders: Self.fields(of: signedHeaders, separator: UInt8(ascii: ";"), omittingEmpty: true),
            signature: signature
        )
    }

    /// `text` split at every `separator` byte, by offset (the generic `split` over a UTF-8 view was a percent
    /// of a request).
    private static func fields(of text: String, separator: UInt8, omittingEmpty: Bool) -> [String] {
        var text = text
        return text.withUTF8 { bytes in
            var fields: [String] = []
            var start = 0
            for index in 0...bytes.count where index == bytes.count || bytes[index] == separator {
                if index > start || !omittingEmpty {
                    fields.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
                }
                start = index + 1
            }
            return fields
        }
    }

    /// The algorithm and the three parameters a signature needs, read from the header's bytes: the value is
    /// trimmed of spaces, the algorithm runs to the first space, and the rest is `name=value` pairs split on
    /// commas (each trimmed of spaces); the first of a repeated name wins, other names are ignored. By offset,
    /// with no dictionary and no `Substring` views: those made this a third of a request's verification.
    private struct HeaderParts {
        var algorithm = ""
        var credential: String?
        var signedHeaders: String?
        var signature: String?

        init(_ bytes: UnsafeBufferPointer<UInt8>) {
            let space = UInt8(ascii: " ")
            var (start, end) = (0, bytes.count)
            while start < end, bytes[start] == space { start += 1 }
            while end > start, bytes[end - 1] == space { end -= 1 }
            var cursor = start
            while cursor < end, bytes[cursor] != space { cursor += 1 }
            algorithm = Self.text(bytes, start, cursor)
            while cursor < end {
                var partEnd = cursor
                while partEnd < end, bytes[partEnd] != UInt8(ascii: ",") { partEnd += 1 }
                take(bytes, from: cursor, to: partEnd)
                cursor = partEnd + 1
            }
        }

        private mutating func take(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) {
            let space = UInt8(ascii: " ")
            var (start, end) = (start, end)
            while start < end, bytes[start] == space { start += 1 }
            while end > start, bytes[end - 1] == space { end -= 1 }
            var equals = start
            while equals < end, bytes[equals] != UInt8(ascii: "=") { equals += 1 }
            guard equals < end else { return }
            let name = UnsafeBufferPointer(rebasing: bytes[start..<equals])
            if credential == nil, name.elementsEqual("Credential".utf8) {
                credential = Self.text(bytes, equals + 1, end)
            } else if signedHeaders == nil, name.elementsEqual("SignedHeaders".utf8) {
                signedHeaders = Self.text(bytes, equals + 1, end)
            } else if signature == nil, name.elementsEqual("Signature".utf8) {
                signature = Self.text(bytes, equals + 1, end)
            }
        }

        private static func text(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String {
            String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        }
    }
}
