import Foundation

/// The proxy's request log (`$CKS_HOME/xks-proxy/requests.log`): one line per request, appended with a
/// single write so that lines from several threads never mix. It holds what the spec asks a proxy to log
/// (time, kmsRequestId, kmsOperation, key, outcome, latency) and never plaintext.
public final class RequestLog: Sendable {
    private let fd: Int32
    public let path: String

    public static func fileURL(home: URL) -> URL { ProxyDatabase.directory(home: home).appending(path: "requests.log") }

    public init(path: String) throws(XKSProxyError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw XKSProxyError("Cannot open the request log \(path): \(String(cString: strerror(errno))).")
        }
        self.fd = fd
        self.path = path
    }

    deinit {
        close(fd)
    }

    public func append(_ record: RequestRecord, latency: Duration) {
        let bytes = Array((Self.line(record, latency: latency) + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }

    /// `2026-12-05T16:10:00.123Z kmsRequestId=… kmsOperation=Encrypt operation=Encrypt key=/prefix:foo
    /// outcome=OK status=200 latency=0.41ms`; a value the request did not give is `-`.
    public static func line(_ record: RequestRecord, latency: Duration) -> String {
        let (seconds, attoseconds) = latency.components
        let milliseconds = Double(seconds) * 1000 + Double(attoseconds) / 1e15
        let key = record.keyId.map { "\(record.prefix ?? ""):\($0)" } ?? record.prefix.map { $0.isEmpty ? "/" : $0 }
        return [
            timestamp(record.time),
            "kmsRequestId=\(token(record.kmsRequestId))",
            "kmsOperation=\(token(record.kmsOperation))",
            "operation=\(token(record.operation))",
            "key=\(token(key))",
            "outcome=\(token(record.outcome))",
            "status=\(record.status)",
            "latency=\(String(format: "%.2f", milliseconds))ms",
        ].joined(separator: " ")
    }

    /// A value without spaces or control characters, at most 128 characters.
    static func token(_ value: String?) -> String {
        guard let value, !value.isEmpty else { return "-" }
        return String(String.UnicodeScalarView(value.unicodeScalars.prefix(128).map { (0x21...0x7E).contains($0.value) ? $0 : "_" }))
    }

    static func timestamp(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        let millis = Int((date.timeIntervalSince1970 - Double(seconds)) * 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), millis)
    }
}
