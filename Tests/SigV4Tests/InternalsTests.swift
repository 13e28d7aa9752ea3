import CKSTestSupport
import Foundation
@testable import SigV4
import Testing

@Suite("Dates and constant-time comparison")
struct InternalsTests {
    @Test func timestampsAgreeWithFoundation() {
        var random = SeededGenerator(seed: 42)
        let style = Date.ISO8601FormatStyle()
        for _ in 0..<2000 {
            let date = Date(timeIntervalSince1970: Double(Int64.random(in: -2_208_988_800...7_258_118_400, using: &random)))
            let foundation = style.format(date).filter { $0 != "-" && $0 != ":" }
            #expect(AmzDate.timestamp(date) == foundation)
            #expect(AmzDate.parseTimestamp(foundation) == date)
        }
    }

    @Test func dropsFractionsOfASecond() throws {
        #expect(AmzDate.timestamp(Date(timeIntervalSince1970: 1_440_938_160.999)) == "20150830T123600Z")
    }

    @Test(arguments: ["20150230T000000Z", "2015083T123600Z", "20150830T246000Z", "20150830 123600Z", "20150830T123600", "2015083OT123600Z"])
    func rejectsMalformedTimestamps(_ text: String) {
        #expect(AmzDate.parseTimestamp(text) == nil)
    }

    @Test func readsHTTPDates() {
        let expected = Date(timeIntervalSince1970: 1_440_938_160)
        #expect(AmzDate.parseHTTPDate("Sun, 30 Aug 2015 12:36:00 GMT") == expected)
        #expect(AmzDate.parseHTTPDate("Sun, 30 Aug 2015 12:36:00 -0000") == expected)
        #expect(AmzDate.parseHTTPDate("Sun, 31 Feb 2015 12:36:00 GMT") == nil)
        #expect(AmzDate.parseHTTPDate("Sun, 30 Aug 2015 12:36:00 +0200") == nil)
    }

    @Test func constantTimeEquality() {
        #expect(ConstantTime.equals(Array("abc".utf8), Array("abc".utf8)))
        #expect(ConstantTime.equals([], []))
        #expect(!ConstantTime.equals(Array("abc".utf8), Array("abd".utf8)))
        #expect(!ConstantTime.equals(Array("abc".utf8), Array("abc\0".utf8)))
        #expect(!ConstantTime.equals(Array("abc".utf8), []))
    }
}
