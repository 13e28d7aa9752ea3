import Foundation
@testable import Console
import KeyStoreEngine
import Testing

/// Every key either acts or says why not (issue 15, item 9), and the help scrolls like the other screens
/// (item 13: `G` in help).
@Suite("Every key answers")
struct EveryKeyAnswersTests {
    @Test func theMenusHotkeysWorkInTheListAndTheDetail() {
        let driver = Driver()
        let items = Reducer.menuItems(for: Fixtures.prodId, in: driver.state)
        for item in items where item.kind != .create {
            #expect(KeyBindings.command(for: .character(item.hotkey), in: [.list]) != nil, "\(item.hotkey) in the list")
            #expect(KeyBindings.command(for: .character(item.hotkey), in: [.detail]) != nil, "\(item.hotkey) in the detail")
        }
    }

    @Test func lowerCaseDAndXActAsTheMenuTeaches() {
        var driver = Driver()
        driver.select("prod-payments")
        driver.press(.character("d"))
        #expect(driver.state.modal == .disconnect(DisconnectConfirmation(storeId: Fixtures.prodId)))
        driver.press(.escape)
        driver.select("analytics")
        driver.press(.character("x"))
        #expect(driver.state.modal == .delete(DeleteConfirmation(storeId: Fixtures.analyticsId)))
        driver.press(.escape)
        driver.press(.enter)
        driver.press(.character("d"))
        #expect(driver.state.status?.text == "Cannot disconnect analytics: already disconnected.")
    }

    @Test func aKeyThatDoesNothingSaysSo() {
        var driver = Driver()
        driver.press(.character("z"))
        #expect(driver.state.status?.text == "z does nothing in the list; ? lists every key.")
        driver.press(.enter)
        driver.press(.character("z"))
        #expect(driver.state.status?.text == "z does nothing in the detail; ? lists every key.")
        #expect(driver.frame().text.contains("z does nothing in the detail; ? lists every key."))
    }

    @Test func helpScrollsToTheEndAndBack() {
        var driver = Driver(Fixtures.loadedState(size: Size(width: 80, height: 24)))
        driver.press(.character("?"))
        driver.press(.character("G"))
        guard case let .help(scroll) = driver.state.modal else { Issue.record("no help"); return }
        #expect(scroll > 0)
        let frame = driver.frame()
        #expect(frame.text.contains(":" + (ConsoleCommand.summary.split(separator: ",").last!.trimmingCharacters(in: .whitespaces))),
                "the last line is in sight:\n\(frame.text)")
        driver.press(.character("j"))
        #expect(driver.state.modal == .help(scroll: scroll), "no scrolling past the end")
        driver.press(.character("k"))
        #expect(driver.state.modal == .help(scroll: scroll - 1), "one k moves back at once")
        driver.press(.character("g"))
        #expect(driver.state.modal == .help(scroll: 0))
        driver.press(.pageDown)
        #expect(driver.state.modal == .help(scroll: HelpView.visibleRows(driver.state)))
    }
}
