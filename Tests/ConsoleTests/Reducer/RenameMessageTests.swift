import KeyStoreEngine
import Testing
@testable import Console

/// After a rename, the console's message names the store by its new name (issue 15, item 13): until the store is
/// loaded again, the state still holds the old one.
@Suite("The message after a rename")
struct ConsoleRenameMessageTests {
    @Test func savedNamesTheNewName() {
        var driver = Driver()
        let oldName = driver.state.stores[Fixtures.prodId]?.name
        driver.send(.updated(storeId: Fixtures.prodId, newName: "payments-renamed"))
        #expect(oldName != "payments-renamed")
        #expect(driver.state.status?.text == "Saved payments-renamed.")
    }

    @Test func savedWithoutARenameNamesTheStore() {
        var driver = Driver()
        let name = driver.state.stores[Fixtures.prodId]?.name ?? "?"
        driver.send(.updated(storeId: Fixtures.prodId))
        #expect(driver.state.status?.text == "Saved \(name).")
    }
}
