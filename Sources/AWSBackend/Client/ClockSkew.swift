import Foundation
import Synchronization

/// How far the local clock is behind (negative: ahead of) AWS's, learned from the `Date` of an answer that
/// refused a signature as expired; added to the time requests are signed with, as the SDKs do.
public final class ClockSkew: Sendable {
    private let offset = Mutex<TimeInterval>(0)

    public init() {}

    public var seconds: TimeInterval { offset.withLock { $0 } }

    func set(_ seconds: TimeInterval) { offset.withLock { $0 = seconds } }

    /// Error names with which AWS services refuse a request signed at the wrong time.
    static let codes: Set<String> = [
        "InvalidSignatureException", "RequestExpired", "RequestTimeTooSkewed", "RequestInTheFuture", "SignatureDoesNotMatch",
        "AuthFailure", "InvalidSignature",
    ]

    /// The correction an error answer calls for: its code and message say the signing time was off, and its
    /// `Date` header says by how much. Nil when the answer is another error or has no usable date.
    static func correction(status: Int, code: String, message: String, dateHeader: String?, localNow: Date) -> TimeInterval? {
        guard status == 400 || status == 403, codes.contains(code) else { return nil }
        let lowered = message.lowercased()
        guard code == "RequestTimeTooSkewed" || code == "RequestExpired" || code == "RequestInTheFuture"
                || lowered.contains("signature expired") || lowered.contains("not yet current") || lowered.contains("skew") else { return nil }
        guard let dateHeader, let serverNow = parseHTTPDate(dateHeader) else { return nil }
        return serverNow.timeIntervalSince(localNow)
    }

    /// An RFC 7231 date (`Sat, 05 Dec 2026 16:00:00 GMT`).
    static func parseHTTPDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text.trimmingWhitespace)
    }
}
