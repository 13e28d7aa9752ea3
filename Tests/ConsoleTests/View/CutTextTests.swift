import Foundation
@testable import Console
import KeyStoreEngine
import Testing

/// Narrow terminals (issue 15, item 12): the account ID is whole, cut text ends in an ellipsis, the detail's
/// scroll position has a place of its own, help lines wrap, and sorting never adds or drops a column.
@Suite("Cut and wrapped text on narrow terminals")
struct CutTextTests {
    @Test(arguments: [60, 80, 120])
    func theAccountIDIsNeverCut(width: Int) {
        let frame = Driver(Fixtures.loadedState(size: Size(width: width, height: 24))).frame()
        #expect(frame.line(0).hasSuffix(" 111122223333"), "\(frame.line(0))")
        #expect(!frame.line(0).contains("…"))
    }

    @Test func theDetailsScrollPositionNeverCoversTheTitle() {
        var stores = Fixtures.stores
        let index = stores.firstIndex { $0.id == Fixtures.lockedId }!
        stores[index].connectionErrorCode = .insufficientCloudHSMHSMs
        var driver = Driver(Fixtures.loadedState(size: Size(width: 60, height: 20)))
        driver.send(.storesLoaded(stores))
        driver.select("dev-locked")
        driver.press(.enter)
        let title = driver.frame().line(3)
        #expect(title.hasSuffix("%") || title.hasSuffix("end"), "\(title)")
        let position = title.split(separator: " ").last!
        let beforePosition = title.dropLast(position.count)
        #expect(beforePosition.hasSuffix("…  "), "the title is cut with an ellipsis, two columns before the position: \(title)")
        #expect(!title.contains("INSUFFI" + position), "\(title)")
    }

    @Test func helpLinesWrapRatherThanBeingCut() {
        var driver = Driver(Fixtures.loadedState(size: Size(width: 60, height: 20)))
        driver.press(.character("?"))
        var seen = ""
        for _ in 0..<40 {
            seen += driver.frame().text + "\n"
            driver.press(.pageDown)
        }
        func words(_ text: String) -> String {
            text.replacingOccurrences(of: "│", with: " ").split(whereSeparator: \.isWhitespace).joined(separator: " ")
        }
        let width = HelpView.textWidth(driver.state)
        let lines = HelpDocument.lines(driver.state, width: width)
        #expect(lines.allSatisfy { $0.width <= width })
        let document = words(lines.map(\.plainText).joined(separator: " "))
        for binding in KeyBindings.table {
            #expect(document.contains(words(binding.help)), "\(binding.help)")
        }
        #expect(seen.contains("Bottom of the help"), "paging reaches the end")
        #expect(!seen.contains("…"), "nothing in the help is cut")
    }

    @Test(arguments: [60, 80, 100, 120])
    func sortingNeverAddsOrDropsAColumn(width: Int) {
        var state = Fixtures.loadedState(size: Size(width: width, height: 24))
        let unsorted = StoreTableView.columns(for: state, width: width).map(\.column)
        for column in SortColumn.allCases {
            state.table.sort = SortOrder(column: column, ascending: true)
            #expect(StoreTableView.columns(for: state, width: width).map(\.column) == unsorted, "sorted by \(column) at \(width)")
        }
    }

    @Test func sSortsByTheColumnsOnScreenAndSortSaysWhenOneIsHidden() {
        var driver = Driver(Fixtures.loadedState(size: Size(width: 60, height: 24)))
        let shown = StoreTableView.columns(for: driver.state, width: 60).map(\.column)
        var seen: [SortColumn] = []
        for _ in shown.indices {
            driver.type("s")
            seen.append(driver.state.table.sort.column)
        }
        #expect(Set(seen) == Set(shown), "s cycles through \(shown), not hidden columns")
        driver.press(.character(":"))
        driver.type("sort created")
        driver.press(.enter)
        #expect(driver.state.status?.text == "Sorted by created, descending (a column this terminal is too narrow to show).")
    }

    @Test func theEventLogCutsWithAnEllipsis() {
        let frame = Driver(Fixtures.loadedState(size: Size(width: 60, height: 24))).frame()
        let row = frame.row(containing: "custom key stores in us-east-1")
        #expect(row.map { frame.line($0).hasSuffix("…") } == true, "\(frame.text)")
    }
}
