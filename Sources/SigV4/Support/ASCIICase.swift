/// Header names compared and lower-cased byte by byte: they are ASCII tokens, and `lowercased()` or
/// `caseInsensitiveCompare` (Unicode rules, Foundation) cost more than the rest of a lookup.
public enum ASCIICase {
    /// True when `a` and `b` are equal ignoring ASCII case.
    public static func equal(_ a: String, _ b: String) -> Bool {
        var a = a, b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                guard x.count == y.count else { return false }
                for index in 0..<x.count where lower(x[index]) != lower(y[index]) { return false }
                return true
            }
        }
    }

    /// The ASCII letters lower-cased; other bytes unchanged.
    public static func lowercased(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) else { return text }
        return String(decoding: text.utf8.map(lower), as: UTF8.self)
    }

    @inline(__always)
    static func lower(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }
}
