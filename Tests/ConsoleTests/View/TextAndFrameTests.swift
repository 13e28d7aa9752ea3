import Foundation
import KeyStoreEngine
@testable import Console
import Testing

@Suite("Text width and the cell grid")
struct TextAndFrameTests {
    @Test(arguments: [
        ("abc", 3), ("●○✗", 3), ("⠋", 1), ("日本", 4), ("🔑", 2), ("e\u{301}", 1), ("", 0), ("a\u{200B}b", 2),
    ])
    func widths(text: String, columns: Int) {
        #expect(TextWidth.of(text) == columns)
    }

    @Test func truncateAndFit() {
        #expect(TextWidth.truncate("prod-payments", to: 8) == "prod-pa…")
        #expect(TextWidth.truncate("日本語テキスト", to: 6) == "日本…")
        #expect(TextWidth.fit("ab", to: 4) == "ab  ")
        #expect(TextWidth.fit("7", to: 4, alignRight: true) == "   7")
        #expect(TextWidth.truncate("short", to: 10) == "short")
    }

    @Test func wrapKeepsWordsAndCutsLongOnes() {
        #expect(TextWidth.wrap("one two three four", to: 9) == ["one two", "three", "four"])
        #expect(TextWidth.wrap("abcdefghij", to: 4) == ["abcd", "efgh", "ij"])
    }

    @Test func wideGraphemesTakeTwoCellsAndOverwriteCleanly() {
        var frame = Frame(width: 6, height: 1)
        frame.put("a日b", x: 0, y: 0, style: .normal)
        #expect(frame.line(0) == "a日b")
        #expect(frame[1, 0].width == 2)
        #expect(frame[2, 0].isContinuation)
        frame.put("x", x: 2, y: 0, style: .normal)
        #expect(frame.line(0) == "a x b".replacingOccurrences(of: " b", with: "b"), "writing over half a wide char blanks the other half")
        #expect(frame[1, 0].text == " ")
    }

    @Test func textCutAtTheEdgeOrALimitEndsInAnEllipsis() {
        var frame = Frame(width: 3, height: 1)
        frame.put("ab日", x: 0, y: 0, style: .normal)
        #expect(frame.line(0) == "ab…", "a wide grapheme that does not fit is cut like any text")
        var limited = Frame(width: 10, height: 2)
        limited.put("account 1111222233334444", x: 0, y: 0, style: .normal, limit: 8)
        #expect(limited.line(0) == "account…")
        limited.put(StyledLine("1111") + StyledLine("2222", .dim), x: 0, y: 1, limit: 4)
        #expect(limited.line(1) == "111…", "a cut between two spans is marked too")
        var padded = Frame(width: 6, height: 1)
        padded.put("abc         ", x: 0, y: 0, style: .normal)
        #expect(padded.line(0) == "abc", "cutting spaces cuts nothing")
        var ascii = Frame(width: 4, height: 1)
        ascii.ellipsis = "~"
        ascii.put("abcdef", x: 0, y: 0, style: .normal)
        #expect(ascii.line(0) == "abc~")
    }

    @Test func onlyChangedCellsAreWritten() {
        var before = Frame(width: 4, height: 2)
        before.put("ab", x: 0, y: 0, style: .normal)
        var after = before
        after.put("x", x: 1, y: 1, style: .normal)
        after.put("日", x: 2, y: 0, style: .normal)
        #expect(after.changedCells(since: before) == [2, 5])
        #expect(after.changedCells(since: nil).count == 7, "a first frame writes every cell but continuations")
        #expect(before.changedCells(since: before).isEmpty, "nothing to write when nothing changed")
    }

    @Test func styleMapHasOneCodePerCell() {
        var frame = Frame(width: 5, height: 1)
        frame.put("ok", x: 1, y: 0, style: Style(.connected))
        #expect(frame.styleMap == ".gg..")
        #expect(Set(StyleRole.allCases.map(\.code)).count == StyleRole.allCases.count, "codes are unique")
    }

    @Test func formattingIsStableAcrossTimeZones() {
        #expect(Formatting.dateTime(Fixtures.now, Fixtures.utc) == "2026-11-29 12:00")
        #expect(Formatting.time(Fixtures.now, TimeZone(identifier: "Asia/Tokyo")!) == "21:00:00")
        #expect(ElapsedTime.text(7.9) == "7s")
        #expect(ElapsedTime.text(185) == "3m 05s")
        #expect(ElapsedTime.text(3725) == "1h 02m 05s")
        #expect(ElapsedTime.text(-3) == "0s")
        #expect(Formatting.ago(Fixtures.now.addingTimeInterval(-180), now: Fixtures.now) == "3 min ago")
        #expect(Formatting.relative(Fixtures.now.addingTimeInterval(86_400 * 800), now: Fixtures.now) == "in 2 years")
    }
}
