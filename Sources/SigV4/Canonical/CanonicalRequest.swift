/// The path rules of the canonical request.
struct CanonicalPathRules: Sendable, Hashable {
    var normalize: Bool
    var doubleEncode: Bool
}

enum CanonicalRequest {
    static func make(_ request: SigV4Request, signedHeaders: [String], pathRules: CanonicalPathRules) -> String {
        [
            request.method.uppercased(),
            CanonicalURI.make(path: request.path, normalize: pathRules.normalize, doubleEncode: pathRules.doubleEncode),
            CanonicalQuery.make(request.query),
            CanonicalHeaders.lines(request.headers, names: signedHeaders),
            signedHeaders.joined(separator: ";"),
            Digest.sha256Hex(request.body),
        ].joined(separator: "\n")
    }
}
