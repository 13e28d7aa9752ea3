import Crypto

/// The path rules of the canonical request.
struct CanonicalPathRules: Sendable, Hashable {
    var normalize: Bool
    var doubleEncode: Bool
}

enum CanonicalRequest {
    static func make(_ request: SigV4Request, signedHeaders: [String], pathRules: CanonicalPathRules) -> String {
        var bytes: [UInt8] = []
        write(request, signedHeaders: signedHeaders, pathRules: pathRules, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the canonical request to `out`: method, canonical URI, canonical query, the `signedHeaders`
    /// lines, their names, and the body's SHA-256, one per line. Written as bytes into one buffer, because a
    /// verifier only hashes it (joining the parts as strings allocated each of them).
    static func write(
        _ request: SigV4Request, signedHeaders: [String], pathRules: CanonicalPathRules, into out: inout [UInt8]
    ) {
        let newline = UInt8(ascii: "\n")
        out.reserveCapacity(out.count + 256 + request.path.utf8.count + request.query.utf8.count)
        appendUppercased(request.method, to: &out)
        out.append(newline)
        if request.path.isEmpty || request.path == "/" {
            out.append(UInt8(ascii: "/"))
        } else {
            out.append(contentsOf: CanonicalURI.make(
                path: request.path, normalize: pathRules.normalize, doubleEncode: pathRules.doubleEncode
            ).utf8)
        }
        out.append(newline)
        if !request.query.isEmpty { out.append(contentsOf: CanonicalQuery.make(request.query).utf8) }
        out.append(newline)
        CanonicalHeaders.write(request.headers, names: signedHeaders, into: &out)
        out.append(newline)
        for (index, name) in signedHeaders.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ";")) }
            out.append(contentsOf: name.utf8)
        }
        out.append(newline)
        Hex.appendLowercase(SHA256.hash(data: request.body), to: &out)
    }

    /// ASCII methods byte by byte; anything else through `uppercased()`, as before.
    private static func appendUppercased(_ method: String, to out: inout [UInt8]) {
        guard method.utf8.allSatisfy({ $0 < 0x80 }) else {
            out.append(contentsOf: method.uppercased().utf8)
            return
        }
        for byte in method.utf8 {
            out.append(byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") ? byte - 0x20 : byte)
        }
    }
}
