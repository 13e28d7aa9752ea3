import Foundation

/// What a person checks in a trust anchor certificate: who it names and when it is valid.
public struct CertificateSummary: Sendable, Equatable {
    /// A distinguished name reduced to its readable attributes, in certificate order.
    public struct Name: Sendable, Equatable {
        public var attributes: [(type: String, value: String)]

        public var commonName: String? { value("CN") }
        public var organization: String? { value("O") }
        public var organizationalUnit: String? { value("OU") }

        func value(_ type: String) -> String? { attributes.first { $0.type == type }?.value }

        /// `CN=customerCA, OU=…, O=…` (most specific first, as people read it).
        public var text: String {
            attributes.reversed().map { "\($0.type)=\($0.value)" }.joined(separator: ", ")
        }

        public static func == (lhs: Name, rhs: Name) -> Bool { lhs.text == rhs.text }
    }

    public var subject: Name
    public var issuer: Name
    public var notBefore: Date
    public var notAfter: Date

    public var isSelfSigned: Bool { subject == issuer }

    /// Why text is not a certificate this reader understands.
    public struct ParseError: Error, Equatable {
        /// What kind of trouble it is, for callers that decide on it (the message is for people).
        public enum Kind: Sendable, Equatable {
            /// No `-----BEGIN CERTIFICATE-----` line: not a PEM certificate at all.
            case noCertificateBlock
            /// The block is there, but its base64 is empty or damaged.
            case damagedBase64
            /// The DER inside is broken.
            case malformed
            /// Well-formed, but a name or time this reader does not follow: for KMS to judge.
            case unsupported
        }

        public var kind: Kind
        public var message: String

        public init(_ kind: Kind, _ message: String) {
            self.kind = kind
            self.message = message
        }
    }

    /// Reads the first certificate of a PEM text (a leading UTF-8 byte order mark is skipped).
    public init(pem: String) throws(ParseError) {
        let lines = pem.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\u{FEFF}"))) }
        guard let begin = lines.firstIndex(where: { $0.hasPrefix("-----BEGIN CERTIFICATE") }) else {
            throw ParseError(.noCertificateBlock, "no PEM CERTIFICATE block")
        }
        let base64 = lines[(begin + 1)...].prefix { !$0.hasPrefix("-----END") }.joined()
        guard !base64.isEmpty, let der = Data(base64Encoded: base64) else {
            throw ParseError(.damagedBase64, "the base64 of the CERTIFICATE block is damaged")
        }
        try self.init(der: [UInt8](der))
    }

    /// Reads a DER-encoded X.509 certificate.
    public init(der: [UInt8]) throws(ParseError) {
        do throws(DERReader.DERError) {
            var outer = DERReader(der[...])
            let certificate = try outer.next(tag: 0x30, "Certificate SEQUENCE")
            var fields = DERReader(certificate.content)
            let tbs = try fields.next(tag: 0x30, "TBSCertificate SEQUENCE")
            var reader = DERReader(tbs.content)
            var element = try reader.next()
            if element.tag == 0xA0 { element = try reader.next() }  // [0] version, then the serial number
            guard element.tag == 0x02 else { throw DERReader.DERError(message: "expected the serial number") }
            _ = try reader.next(tag: 0x30, "signature AlgorithmIdentifier")
            issuer = try Self.name(try reader.next(tag: 0x30, "issuer Name"))
            let validity = try reader.next(tag: 0x30, "Validity").children()
            guard validity.count == 2 else { throw DERReader.DERError(message: "Validity needs two times") }
            notBefore = try Self.time(validity[0])
            notAfter = try Self.time(validity[1])
            subject = try Self.name(try reader.next(tag: 0x30, "subject Name"))
        } catch {
            throw ParseError(error.kind == .unsupported ? .unsupported : .malformed, error.message)
        }
    }

    private static let attributeTypes: [[UInt8]: String] = [
        [0x55, 0x04, 0x03]: "CN", [0x55, 0x04, 0x06]: "C", [0x55, 0x04, 0x07]: "L", [0x55, 0x04, 0x08]: "ST",
        [0x55, 0x04, 0x0A]: "O", [0x55, 0x04, 0x0B]: "OU", [0x55, 0x04, 0x05]: "serialNumber",
        [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x01]: "emailAddress",
    ]

    /// Name ::= SEQUENCE OF SET OF SEQUENCE { type OID, value string }
    private static func name(_ element: DERReader.Element) throws(DERReader.DERError) -> Name {
        var attributes: [(type: String, value: String)] = []
        for set in try element.children() {
            for pair in try set.children() {
                let parts = try pair.children()
                guard parts.count == 2, parts[0].tag == 0x06 else { throw DERReader.DERError(message: "bad name attribute", kind: .unsupported) }
                let type = attributeTypes[Array(parts[0].content)] ?? oidText(parts[0].content)
                attributes.append((type, try string(parts[1])))
            }
        }
        return Name(attributes: attributes)
    }

    private static func string(_ element: DERReader.Element) throws(DERReader.DERError) -> String {
        let bytes = Array(element.content)
        switch element.tag {
        case 0x0C, 0x13, 0x16, 0x12, 0x1A:  // UTF8String, PrintableString, IA5String, NumericString, VisibleString
            return String(decoding: bytes, as: UTF8.self)
        case 0x14:  // T61String, read as Latin-1
            return String(bytes.map { Character(Unicode.Scalar($0)) })
        case 0x1E:  // BMPString, UTF-16 big-endian
            let units = stride(from: 0, to: bytes.count - 1, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) }
            return String(decoding: units, as: UTF16.self)
        default:
            throw DERReader.DERError(message: "unsupported string type \(element.tag)", kind: .unsupported)
        }
    }

    private static func oidText(_ bytes: ArraySlice<UInt8>) -> String {
        guard let first = bytes.first else { return "?" }
        var parts = [Int(first) / 40, Int(first) % 40]
        var value = 0
        for byte in bytes.dropFirst() {
            value = value << 7 | Int(byte & 0x7F)
            if byte & 0x80 == 0 {
                parts.append(value)
                value = 0
            }
        }
        return parts.map(String.init).joined(separator: ".")
    }

    /// UTCTime (YYMMDDHHMMSSZ, years 1950-2049) or GeneralizedTime (YYYYMMDDHHMMSSZ).
    private static func time(_ element: DERReader.Element) throws(DERReader.DERError) -> Date {
        let text = String(decoding: element.content, as: UTF8.self)
        let digits = Array(text.prefix { $0.isNumber }).compactMap { $0.wholeNumberValue }
        func number(_ range: Range<Int>) -> Int { range.reduce(0) { $0 * 10 + digits[$1] } }
        var year: Int
        var rest: Int
        switch element.tag {
        case 0x17:
            guard digits.count >= 10 else { throw DERReader.DERError(message: "bad UTCTime \(text)", kind: .unsupported) }
            year = number(0..<2)
            year += year < 50 ? 2000 : 1900
            rest = 2
        case 0x18:
            guard digits.count >= 12 else { throw DERReader.DERError(message: "bad GeneralizedTime \(text)", kind: .unsupported) }
            year = number(0..<4)
            rest = 4
        default:
            throw DERReader.DERError(message: "expected a time")
        }
        let month = number(rest..<rest + 2), day = number(rest + 2..<rest + 4)
        let hour = number(rest + 4..<rest + 6), minute = number(rest + 6..<rest + 8)
        let second = digits.count >= rest + 10 ? number(rest + 8..<rest + 10) : 0
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else {
            throw DERReader.DERError(message: "bad time \(text)", kind: .unsupported)
        }
        let days = daysFromCivil(year: year, month: month, day: day)
        return Date(timeIntervalSince1970: TimeInterval(days * 86_400 + hour * 3_600 + minute * 60 + second))
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
