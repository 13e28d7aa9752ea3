import Foundation

/// How long something has run, written one way wherever cks shows it (the console's tray and detail, running
/// or finished, and `TransitionProgress.summary`): `7s`, `3m 05s`, `1h 02m 05s`.
public enum ElapsedTime {
    public static func text(_ seconds: TimeInterval) -> String {
        let whole = seconds.isFinite ? max(0, Int(seconds.rounded(.down))) : 0
        let hours = whole / 3600, minutes = (whole % 3600) / 60, rest = whole % 60
        if hours > 0 { return "\(hours)h \(two(minutes))m \(two(rest))s" }
        return minutes > 0 ? "\(minutes)m \(two(rest))s" : "\(rest)s"
    }

    private static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
