import Foundation
@testable import Console
import KeyStoreEngine
import Testing

/// Long errors are never only cut (issue 15, item 10): the footer says how to read them whole, and Enter on an
/// event of the log opens it in full, wrapped.
@Suite("An event in full")
struct LogEntryTests {
    static let longMessage = "Custom key store cks-2b3c4d5e6f7080912 could not connect: the cluster security group sg-0a1b2c3d lacks "
        + "its self-referencing TCP 2223-2225 rules. Fix: cks disconnect analytics, then cks sim repair-security-group "
        + "cluster-anal2b3c4d5e, then cks connect analytics --wait."

    @Test func aLongErrorSaysHowToReadItWholeAndEnterOnItsEventShowsIt() {
        var driver = Driver(Fixtures.loadedState(size: Size(width: 120, height: 36)))
        driver.select("analytics")
        driver.press(.character("c"))
        driver.send(.workflowRejected(.connect, storeId: Fixtures.analyticsId, KMSError(.kmsInvalidState, Self.longMessage)))
        let footer = driver.frame().line(35)
        #expect(footer.hasSuffix("Tab then ⏎ shows it whole"), "\(footer)")
        #expect(footer.contains("…"), "\(footer)")
        driver.press(.tab)
        driver.press(.enter)
        guard case let .logEntry(index, _) = driver.state.modal else { Issue.record("no entry opened"); return }
        #expect(driver.state.log.entries[index].kind == .error)
        let text = driver.frame().text
        func words(_ text: String) -> String {
            text.replacingOccurrences(of: "│", with: " ").split(whereSeparator: \.isWhitespace).joined(separator: " ")
        }
        #expect(words(text).contains(words(Self.longMessage)), "the whole message, wrapped:\n\(text)")
        driver.press(.escape)
        #expect(driver.state.modal == nil)
        #expect(driver.state.log.focused)
    }

    @Test func enterOnACommandOffersItsCopyAndJKScroll() {
        var driver = Driver(Fixtures.loadedState(size: Size(width: 60, height: 14)))
        driver.send(.storesFailed(KMSError(.kmsInternal, String(repeating: "a long reason ", count: 60))))
        driver.press(.tab)
        driver.press(.enter)
        guard case .logEntry = driver.state.modal else { Issue.record("no entry opened"); return }
        driver.press(.character("G"))
        driver.press(.character("j"))
        guard case let .logEntry(_, scroll) = driver.state.modal else { Issue.record("closed"); return }
        #expect(scroll > 0, "a message longer than the box scrolls")
        driver.press(.character("q"))
        driver.press(.home)
        driver.press(.enter)
        guard case let .logEntry(index, _) = driver.state.modal else { Issue.record("no entry opened"); return }
        #expect(driver.state.log.entries[index].kind == .command)
        #expect(driver.frame().text.contains("y copies the command"))
        #expect(driver.press(.character("y")) == [.copyToClipboard("aws kms describe-custom-key-stores")])
    }
}
