import Foundation

/// A time as cks's command output writes it: in UTC, in a fixed pattern, whatever the user's locale.
enum UTCDate {
    /// `date` in `pattern`, e.g. `yyyy-MM-dd HH:mm 'UTC'`.
    static func string(_ date: Date, _ pattern: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = pattern
        return formatter.string(from: date)
    }
}
