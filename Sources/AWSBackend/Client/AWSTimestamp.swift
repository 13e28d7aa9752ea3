import Foundation
import KeyStoreEngine

/// Timestamps as AWS JSON services send them: epoch seconds (`1.499288695918E9`), or ISO 8601 text as some
/// emulators do (`2025-11-29T21:00:00.123456`, with `Z`, `UTC` or an offset, without a zone meaning UTC).
enum AWSTimestamp {
    static func parse(_ value: JSONValue?) -> Date? {
        if let seconds = value?.doubleValue { return Date(timeIntervalSince1970: seconds) }
        guard let text = value?.stringValue else { return nil }
        return parse(text)
    }

    static func parse(_ text: String) -> Date? {
        var rest = Substring(text.trimmingWhitespace)
        var offset: TimeInterval = 0
        if rest.hasSuffix("UTC") {
            rest = rest.dropLast(3)  // botocore's JSONFileCache writes `%Y-%m-%dT%H:%M:%S%Z`.
        } else if rest.hasSuffix("Z") || rest.hasSuffix("z") {
            rest = rest.dropLast()
        } else if rest.count > 6, let sign = rest[rest.index(rest.endIndex, offsetBy: -6)...].first, sign == "+" || sign == "-",
                  rest[rest.index(rest.endIndex, offsetBy: -3)] == ":" {
            let zone = rest.suffix(5)
            guard let hours = Double(zone.prefix(2)), let minutes = Double(zone.suffix(2)) else { return nil }
            offset = (hours * 3600 + minutes * 60) * (sign == "+" ? 1 : -1)
            rest = rest.dropLast(6)
        }
        var fraction: TimeInterval = 0
        if let dot = rest.firstIndex(of: ".") {
            guard let value = Double("0" + rest[dot...]) else { return nil }
            fraction = value
            rest = rest[..<dot]
        }
        let parts = rest.split(whereSeparator: { "-T:t ".contains($0) }).compactMap { Int($0) }
        guard parts.count == 6 else { return nil }
        var components = DateComponents()
        (components.year, components.month, components.day) = (parts[0], parts[1], parts[2])
        (components.hour, components.minute, components.second) = (parts[3], parts[4], parts[5])
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let date = calendar.date(from: components) else { return nil }
        return date.addingTimeInterval(fraction - offset)
    }
}
