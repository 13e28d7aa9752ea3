@testable import AWSBackend
import Foundation
import KeyStoreEngine
import Testing

@Suite("Timestamps")
struct TimestampTests {
    @Test(arguments: [
        ("2025-10-09T09:00:00Z", 1_760_000_400.0),
        ("2025-10-09T09:00:00.250Z", 1_760_000_400.25),
        ("2025-10-09T11:00:00+02:00", 1_760_000_400.0),
        ("2025-10-09T04:30:00-04:30", 1_760_000_400.0),
        ("2025-10-09T09:00:00.123456", 1_760_000_400.123456),
        ("2025-10-09 09:00:00", 1_760_000_400.0),
    ])
    func text(_ text: String, _ seconds: Double) throws {
        let date = try #require(AWSTimestamp.parse(text))
        #expect(abs(date.timeIntervalSince1970 - seconds) < 0.000_01)
    }

    @Test func numbersAndNonsense() {
        #expect(AWSTimestamp.parse(JSONValue.number(1.499288695918E9))?.timeIntervalSince1970 == 1.499288695918E9)
        #expect(AWSTimestamp.parse(JSONValue.integer(10))?.timeIntervalSince1970 == 10)
        #expect(AWSTimestamp.parse("yesterday") == nil)
        #expect(AWSTimestamp.parse(JSONValue.null) == nil)
    }
}
