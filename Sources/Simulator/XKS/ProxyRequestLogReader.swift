import Foundation
import KeyStoreEngine
import XKSProxy

/// Reads the proxy's request log (`$CKS_HOME/xks-proxy/requests.log`) back into records, for the console's
/// "recent proxy requests" of a store served by the embedded proxy.
enum ProxyRequestLogReader {
    /// The newest `limit` requests for the logical key store at `prefix` (the URI path without `/kms/xks/v1`),
    /// newest first. Reads at most the last 1 MiB of the log.
    static func recent(home: URL, prefix: String, limit: Int) -> [XKSProxyRequestRecord] {
        guard limit > 0, let handle = FileHandle(forReadingAtPath: RequestLog.fileURL(home: home).path) else { return [] }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        let window: UInt64 = 1 << 20
        try? handle.seek(toOffset: size > window ? size - window : 0)
        let text = String(decoding: (try? handle.readToEnd()) ?? Data(), as: UTF8.self)
        var records: [XKSProxyRequestRecord] = []
        for line in text.split(separator: "\n").reversed() {
            guard let record = parse(line), belongs(line, to: prefix) else { continue }
            records.append(record)
            if records.count == limit { break }
        }
        return records
    }

    /// Whether a line's `key=` field names the logical key store at `prefix` (`key=/p` or `key=/p:keyId`).
    private static func belongs(_ line: Substring, to prefix: String) -> Bool {
        guard let key = field("key", in: line) else { return false }
        let store = key.split(separator: ":", maxSplits: 1).first.map(String.init) ?? key
        return store == (prefix.isEmpty ? "/" : prefix) || (prefix.isEmpty && key.hasPrefix(":"))
    }

    /// One line as `RequestLog.line` writes it.
    static func parse(_ line: Substring) -> XKSProxyRequestRecord? {
        guard let stamp = line.split(separator: " ").first, let time = date(String(stamp)),
              let status = field("status", in: line).flatMap(Int.init) else { return nil }
        let outcome = field("outcome", in: line)
        let latency = field("latency", in: line).flatMap { Double($0.replacingOccurrences(of: "ms", with: "")) }.map { $0 / 1000 } ?? 0
        return XKSProxyRequestRecord(
            time: time, operation: field("operation", in: line) ?? "-", kmsOperation: field("kmsOperation", in: line),
            kmsRequestId: field("kmsRequestId", in: line), httpStatus: status,
            errorName: outcome?.hasPrefix("OK") == true ? nil : outcome, latency: latency)
    }

    private static func field(_ name: String, in line: Substring) -> String? {
        for part in line.split(separator: " ") where part.hasPrefix(name + "=") {
            let value = String(part.dropFirst(name.count + 1))
            return value == "-" ? nil : value
        }
        return nil
    }

    private static func date(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}
