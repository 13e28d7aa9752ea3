/// A minimal reader of DER (the binary form of ASN.1), enough to read an X.509 certificate's names and dates.
struct DERReader {
    /// One TLV element: its tag and its content bytes.
    struct Element {
        var tag: UInt8
        var content: ArraySlice<UInt8>

        var isConstructed: Bool { tag & 0x20 != 0 }

        /// The elements inside a SEQUENCE, SET or explicit tag.
        func children() throws(DERError) -> [Element] {
            var reader = DERReader(content)
            var elements: [Element] = []
            while !reader.isAtEnd { elements.append(try reader.next()) }
            return elements
        }
    }

    /// Why bytes are not the DER that was expected.
    struct DERError: Error, Equatable {
        /// Whether the bytes are broken, or well-formed but beyond what this reader follows.
        enum Kind: Equatable { case malformed, unsupported }

        var message: String
        var kind: Kind = .malformed
    }

    private var bytes: ArraySlice<UInt8>

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { bytes.isEmpty }

    /// Reads the next element.
    mutating func next() throws(DERError) -> Element {
        guard let tag = bytes.first else { throw DERError(message: "unexpected end of data") }
        var index = bytes.index(after: bytes.startIndex)
        guard index < bytes.endIndex else { throw DERError(message: "missing length") }
        let first = bytes[index]
        index += 1
        var length = 0
        if first < 0x80 {
            length = Int(first)
        } else {
            let count = Int(first & 0x7F)
            guard (1...4).contains(count), index + count <= bytes.endIndex else {
                throw DERError(message: "unsupported length encoding")
            }
            for byte in bytes[index..<index + count] { length = length << 8 | Int(byte) }
            index += count
        }
        guard length <= bytes.endIndex - index else { throw DERError(message: "length runs past the end") }
        let content = bytes[index..<index + length]
        bytes = bytes[(index + length)...]
        return Element(tag: tag, content: content)
    }

    /// Reads the next element and checks its tag.
    mutating func next(tag: UInt8, _ what: String) throws(DERError) -> Element {
        let element = try next()
        guard element.tag == tag else { throw DERError(message: "expected \(what)") }
        return element
    }
}
