@testable import Console
import KeyStoreEngine
import Testing

@Suite("Moving, sorting and filtering the table")
struct NavigationTests {
    @Test func startsOnTheFirstStoreByName() {
        let driver = Driver()
        #expect(driver.state.table.order.map { driver.state.stores[$0]!.name }
            == ["analytics", "archive", "dev-locked", "legacy-vault", "prod-payments", "staging"])
        #expect(driver.state.selectedStore?.name == "analytics")
    }

    @Test func vimKeysArrowsAndJumps() {
        var driver = Driver()
        driver.press(.character("j"), .down)
        #expect(driver.state.selectedStore?.name == "dev-locked")
        driver.press(.character("k"))
        #expect(driver.state.selectedStore?.name == "archive")
        driver.press(.character("G"))
        #expect(driver.state.selectedStore?.name == "staging")
        driver.press(.down)
        #expect(driver.state.selectedStore?.name == "staging", "the last row stays selected")
        driver.press(.character("g"))
        #expect(driver.state.selectedStore?.name == "analytics")
        driver.press(.pageDown)
        #expect(driver.state.selectedStore?.name == "staging")
        driver.press(.pageUp)
        #expect(driver.state.selectedStore?.name == "analytics")
    }

    @Test func scrollKeepsTheSelectionVisible() {
        var stores: [CustomKeyStore] = []
        for n in 0..<100 {
            stores.append(CustomKeyStore(id: "cks-\(n)", name: "store-\(1000 + n)", cloudHsmClusterId: nil, trustAnchorCertificate: nil,
                                         connectionState: .connected, creationDate: Fixtures.now))
        }
        var driver = Driver(Fixtures.loadedState(size: Size(width: 100, height: 20)))
        driver.send(.storesLoaded(stores))
        let rows = Layout(driver.state).tableRows
        for _ in 0..<rows { driver.press(.down) }
        #expect(driver.state.table.selectedIndex == rows)
        #expect(driver.state.table.scrollTop == 1)
        driver.press(.end)
        #expect(driver.state.table.scrollTop == 100 - rows)
        driver.press(.home)
        #expect(driver.state.table.scrollTop == 0)
    }

    @Test func sortCyclesColumnsAndReverses() {
        var driver = Driver()
        driver.type("s")
        #expect(driver.state.table.sort.column == .id)
        driver.type("ssss")
        #expect(driver.state.table.sort == SortOrder(column: .created, ascending: false))
        #expect(driver.state.stores[driver.state.table.order[0]]?.name == "archive", "newest first")
        driver.type("S")
        #expect(driver.state.stores[driver.state.table.order[0]]?.name == "prod-payments", "oldest first")
    }

    @Test func sortByStatePutsFailedStoresFirst() {
        var driver = Driver()
        driver.press(.character(":"))
        driver.type("sort state")
        driver.press(.enter)
        let names = driver.state.table.order.map { driver.state.stores[$0]!.name }
        #expect(names == ["legacy-vault", "dev-locked", "staging", "archive", "prod-payments", "analytics"])
    }

    @Test func selectionFollowsTheStoreWhenTheOrderChanges() {
        var driver = Driver()
        driver.select("prod-payments")
        driver.send(.key(.character("s")))
        #expect(driver.state.selectedStore?.name == "prod-payments")
    }

    @Test(arguments: [
        ("fail", ["dev-locked", "legacy-vault"]),
        ("USER_LOCKED", ["dev-locked"]),
        ("cks-1a2b", ["prod-payments"]),
        ("connecting", ["archive", "staging"]),
        ("ARCH", ["archive"]),
    ])
    func filterMatchesNameIdStateAndErrorCode(text: String, expected: [String]) {
        var driver = Driver()
        driver.press(.character("/"))
        driver.type(text)
        #expect(driver.state.table.order.map { driver.state.stores[$0]!.name } == expected)
        driver.press(.enter)
        #expect(driver.state.prompt == nil)
        #expect(driver.state.table.filter == text, "the filter stays after Enter")
        driver.press(.escape)
        #expect(driver.state.table.filter.isEmpty, "Esc on the list clears it")
        #expect(driver.state.table.order.count == 6)
    }

    @Test func escWhileTypingAFilterDropsIt() {
        var driver = Driver()
        driver.press(.character("/"))
        driver.type("dev")
        driver.press(.escape)
        #expect(driver.state.prompt == nil)
        #expect(driver.state.table.filter.isEmpty)
    }

    @Test func enterOpensTheDetailAndLoadsItsData() {
        var driver = Driver()
        driver.select("dev-locked")
        let effects = driver.press(.enter)
        #expect(driver.state.screen == .detail(storeId: Fixtures.lockedId))
        #expect(effects.contains(.loadKeys(storeId: Fixtures.lockedId)))
        #expect(effects.contains(.loadHistory(storeId: Fixtures.lockedId)))
        driver.press(.escape)
        #expect(driver.state.screen == .list)
    }

    @Test func ctrlLRedrawsAndQuitEnds() {
        var driver = Driver()
        #expect(driver.press(.control("l")) == [.redrawAll])
        driver.press(.character("q"))
        #expect(driver.state.exitStatus == 0)
    }

    @Test func tooSmallTerminalOnlyQuits() {
        var driver = Driver()
        driver.send(.resize(Size(width: 40, height: 10)))
        driver.press(.character("a"))
        #expect(driver.state.modal == nil)
        driver.press(.character("q"))
        #expect(driver.state.exitStatus == 0)
    }

    @Test func signalsEndTheConsoleWithTheirStatus() {
        var driver = Driver()
        driver.send(.signal(15))
        #expect(driver.state.exitStatus == 143)
    }
}

@Suite("Command line")
struct CommandLineTests {
    @Test(arguments: [
        ("q", ConsoleCommand.quit),
        ("connect prod-payments", .connect("prod-payments")),
        ("disconnect", .disconnect(nil)),
        ("sort state desc", .sort(.state, ascending: false)),
        ("sort hsm", .sort(.hsms, ascending: nil)),
        ("filter USER_LOCKED_OUT", .filter("USER_LOCKED_OUT")),
        ("open my store", .open("my store")),
    ])
    func parses(line: String, command: ConsoleCommand) {
        #expect(ConsoleCommand.parse(line) == .success(command))
    }

    @Test func unknownCommandsSayWhatExists() {
        guard case let .failure(error) = ConsoleCommand.parse("frobnicate") else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.message.contains("Unknown command :frobnicate"))
        #expect(error.message.contains("connect NAME"))
    }

    @Test func connectByNameStartsTheWorkflow() {
        var driver = Driver()
        driver.press(.character(":"))
        driver.type("connect analytics")
        let effects = driver.press(.enter)
        #expect(effects == [.startWorkflow(.connect, storeId: Fixtures.analyticsId)])
        #expect(driver.state.log.entries.last?.copyText == "aws kms connect-custom-key-store --custom-key-store-id \(Fixtures.analyticsId)")
    }

    @Test func disconnectByNameAsksFirst() {
        var driver = Driver()
        driver.press(.character(":"))
        driver.type("disconnect prod")
        driver.press(.enter)
        #expect(driver.state.modal == .disconnect(DisconnectConfirmation(storeId: Fixtures.prodId)))
    }

    @Test func unknownStoreIsAnError() {
        var driver = Driver()
        driver.press(.character(":"))
        driver.type("connect nothing-here")
        driver.press(.enter)
        #expect(driver.state.status?.kind == .error)
        #expect(driver.state.status?.text == "No key store is named nothing-here.")
    }

    @Test func ambiguousPrefixAsksForMore() {
        var driver = Driver()
        driver.press(.character(":"))
        driver.type("open a")
        driver.press(.enter)
        #expect(driver.state.status?.text.contains("matches several stores: analytics, archive") == true)
    }

    @Test func filterAndQuitCommands() {
        var driver = Driver()
        driver.press(.character(":"))
        driver.type("filter legacy")
        driver.press(.enter)
        #expect(driver.state.table.order == [Fixtures.legacyId])
        driver.press(.character(":"))
        driver.type("q")
        driver.press(.enter)
        #expect(driver.state.exitStatus == 0)
    }

    @Test func backspaceOnAnEmptyLineCloses() {
        var driver = Driver()
        driver.press(.character(":"))
        driver.press(.backspace)
        #expect(driver.state.prompt == nil)
    }
}
