import Foundation

enum TestDates {
    struct Malformed: Error {
        var text: String
    }

    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    /// `2015-08-30T12:36:00Z`
    static func iso8601(_ text: String) throws -> Date {
        try Date(text, strategy: .iso8601)
    }

    /// `20150830T123600Z`, read with Foundation's calendar (independent of the code under test).
    static func basic(_ text: String) throws -> Date {
        let digits = text.filter(\.isNumber)
        guard text.count == 16, digits.count == 14 else { throw Malformed(text: text) }
        func field(_ offset: Int, _ length: Int) -> Int {
            Int(digits.dropFirst(offset).prefix(length))!
        }
        let components = DateComponents(
            year: field(0, 4), month: field(4, 2), day: field(6, 2),
            hour: field(8, 2), minute: field(10, 2), second: field(12, 2)
        )
        guard let date = utc.date(from: components) else { throw Malformed(text: text) }
        return date
    }
}
