import Foundation

/// The timestamps SigV4 uses: `20150830T123600Z` (X-Amz-Date) and `20150830` (the credential scope);
/// a `Date` header may also carry an HTTP date (`Sun, 30 Aug 2015 12:36:00 GMT`).
enum AmzDate {
    static func timestamp(_ date: Date) -> String {
        let time = CivilTime(date)
        guard (0...9999).contains(time.year) else {
            return digits(time.year, 4) + digits(time.month, 2) + digits(time.day, 2) + "T"
                + digits(time.hour, 2) + digits(time.minute, 2) + digits(time.second, 2) + "Z"
        }
        // Written into one buffer: a verification formats several timestamps, and concatenation allocated each part.
        return String(unsafeUninitializedCapacity: 16) { buffer in
            var index = 0
            func put(_ value: Int, _ width: Int) {
                var divisor = 1
                for _ in 1..<width { divisor *= 10 }
                while divisor > 0 {
                    buffer[index] = UInt8(ascii: "0") + UInt8(value / divisor % 10)
                    index += 1
                    divisor /= 10
                }
            }
            put(time.year, 4); put(time.month, 2); put(time.day, 2)
            buffer[index] = UInt8(ascii: "T"); index += 1
            put(time.hour, 2); put(time.minute, 2); put(time.second, 2)
            buffer[index] = UInt8(ascii: "Z"); index += 1
            return index
        }
    }

    static func day(_ date: Date) -> String {
        String(timestamp(date).prefix(8))
    }

    /// Parses `yyyyMMdd'T'HHmmss'Z'`; nil unless it is exactly that and a real instant.
    static func parseTimestamp(_ text: String) -> Date? {
        let chars = Array(text.utf8)
        guard chars.count == 16, chars[8] == UInt8(ascii: "T"), chars[15] == UInt8(ascii: "Z"),
              let year = number(chars[0..<4]), let month = number(chars[4..<6]), let day = number(chars[6..<8]),
              let hour = number(chars[9..<11]), let minute = number(chars[11..<13]), let second = number(chars[13..<15])
        else { return nil }
        let date = CivilTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second).date
        return timestamp(date) == text ? date : nil
    }

    /// Parses an RFC 7231 / RFC 2822 date in UTC: `Sun, 30 Aug 2015 12:36:00 GMT` (or `+0000`, `-0000`, `UTC`).
    static func parseHTTPDate(_ text: String) -> Date? {
        let fields = text.split(separator: " ")
        guard fields.count == 6, fields[0].hasSuffix(","), ["GMT", "UTC", "+0000", "-0000"].contains(fields[5]),
              let day = Int(fields[1]), let month = months.firstIndex(of: String(fields[2])), let year = Int(fields[3])
        else { return nil }
        let clock = fields[4].split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
        guard clock.count == 3, let hour = clock[0], let minute = clock[1], let second = clock[2] else { return nil }
        let time = CivilTime(year: year, month: month + 1, day: day, hour: hour, minute: minute, second: second)
        let date = time.date
        return CivilTime(date) == time ? date : nil
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    private static func digits(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    private static func number(_ chars: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for char in chars {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(char) else { return nil }
            value = value * 10 + Int(char - UInt8(ascii: "0"))
        }
        return value
    }
}
