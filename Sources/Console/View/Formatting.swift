import Foundation

/// Dates, times and durations as the console prints them, in the state's time zone.
enum Formatting {
    /// `2024-03-01 10:12`
    static func dateTime(_ date: Date, _ zone: TimeZone) -> String {
        let c = components(date, zone)
        return "\(c.year)-\(two(c.month))-\(two(c.day)) \(two(c.hour)):\(two(c.minute))"
    }

    /// `2024-03-01`
    static func date(_ date: Date, _ zone: TimeZone) -> String {
        let c = components(date, zone)
        return "\(c.year)-\(two(c.month))-\(two(c.day))"
    }

    /// `10:12:04`
    static func time(_ date: Date, _ zone: TimeZone) -> String {
        let c = components(date, zone)
        return "\(two(c.hour)):\(two(c.minute)):\(two(c.second))"
    }

    /// `just now`, `4 min ago`, `3 h ago`, `12 days ago`
    static func ago(_ date: Date, now: Date) -> String {
        let seconds = now.timeIntervalSince(date)
        if seconds < 60 { return "just now" }
        if seconds < 3600 { return "\(Int(seconds / 60)) min ago" }
        if seconds < 86_400 { return "\(Int(seconds / 3600)) h ago" }
        let days = Int(seconds / 86_400)
        return days == 1 ? "1 day ago" : "\(days) days ago"
    }

    /// `in 3 years`, `in 20 days`, `12 days ago`
    static func relative(_ date: Date, now: Date) -> String {
        let seconds = date.timeIntervalSince(now)
        if seconds < 0 { return ago(date, now: now) }
        let days = Int(seconds / 86_400)
        if days >= 730 { return "in \(days / 365) years" }
        if days >= 1 { return days == 1 ? "in 1 day" : "in \(days) days" }
        return "in \(Int(seconds / 3600)) h"
    }

    private struct Components {
        var year, month, day, hour, minute, second: Int
    }

    private static func components(_ date: Date, _ zone: TimeZone) -> Components {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down)) + zone.secondsFromGMT(for: date)
        let days = Int((Double(seconds) / 86_400).rounded(.down))
        let inDay = seconds - days * 86_400
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return Components(year: year, month: month, day: day, hour: inDay / 3600, minute: (inDay % 3600) / 60, second: inDay % 60)
    }

    private static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
