/// The path line of the canonical request.
enum CanonicalURI {
    /// `normalize` removes `.` and `..` segments and empty segments (every service but S3);
    /// `doubleEncode` encodes the path as sent once more, so `%20` becomes `%2520` (every service but S3).
    static func make(path: String, normalize: Bool, doubleEncode: Bool) -> String {
        let source = path.isEmpty ? "/" : path
        let shaped = normalize ? removingDotSegments(source) : source
        return doubleEncode
            ? PercentEncoding.encode(shaped.utf8, keepingSlash: true)
            : PercentEncoding.encodeOnce(shaped, keepingSlash: true)
    }

    /// RFC 3986 section 5.2.4 plus collapsing `//`, as botocore and the AWS test suite do it.
    static func removingDotSegments(_ path: String) -> String {
        var kept: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) where segment != "." {
            if segment == ".." {
                _ = kept.popLast()
            } else {
                kept.append(segment)
            }
        }
        let leading = path.hasPrefix("/") ? "/" : ""
        let trailing = path.hasSuffix("/") && !kept.isEmpty ? "/" : ""
        let result = leading + kept.joined(separator: "/") + trailing
        return result.isEmpty ? "/" : result
    }
}
