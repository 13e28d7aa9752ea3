@testable import Console
import Testing

@Suite("The key-binding table")
struct KeyBindingTests {
    @Test func noKeyMeansTwoThingsInOneContext() {
        for context in BindingContext.allCases {
            let keys = KeyBindings.table.filter { $0.context == context }.flatMap(\.keys)
            #expect(Set(keys).count == keys.count, "duplicate key in \(context)")
        }
    }

    @Test func ctrlDIsNeverDestructive() {
        let commands = KeyBindings.table.filter { $0.keys.contains(.control("d")) }.map(\.command)
        #expect(commands.allSatisfy { $0 == .pageDown })
    }

    @Test func footerHintsComeFromTheTable() {
        let hints = KeyBindings.footerHints(for: [.list], repairable: false, glyphs: .unicode)
        #expect(hints.map(\.hint) == ["move", "tab", "details", "actions", "filter", "sort", "log"])
        #expect(hints[1].keys == "[/]")
        #expect(hints.first?.keys == "j/k")
        let detail = KeyBindings.footerHints(for: [.detail], repairable: true, glyphs: .unicode)
        #expect(detail.contains { $0.keys == "f" && $0.hint == "fix it" })
    }

    @Test func everyScreenCommandIsBoundSomewhere() {
        let bound = Set(KeyBindings.table.map(\.command))
        let screenCommands: [Command] = [.quit, .help, .redraw, .commandLine, .filter, .moveUp, .moveDown, .pageUp, .pageDown,
                                         .top, .bottom, .open, .back, .actions, .connect, .disconnect, .edit, .delete, .create,
                                         .repair, .sortNext, .sortReverse, .toggleLog, .focusNext, .copy, .refresh]
        #expect(screenCommands.allSatisfy(bound.contains))
    }

    @Test func logFocusAndCopyOfACommand() {
        var driver = Driver()
        driver.select("analytics")
        driver.press(.character("c"))
        driver.press(.tab)
        #expect(driver.state.log.focused)
        let effects = driver.press(.character("y"))
        #expect(effects == [.copyToClipboard("aws kms connect-custom-key-store --custom-key-store-id \(Fixtures.analyticsId)")])
        driver.press(.escape)
        #expect(!driver.state.log.focused)
    }
}

@Suite("aws kms commands")
struct AWSCommandLineTests {
    @Test func quotesWhatAShellWouldSplit() {
        #expect(AWSCommandLine.quote("prod-payments") == "prod-payments")
        #expect(AWSCommandLine.quote("my store") == "'my store'")
        #expect(AWSCommandLine.quote("it's") == "'it'\\''s'")
        #expect(AWSCommandLine.quote("<kmsuser-password>") == "<kmsuser-password>")
    }

    @Test func createNeverShowsThePassword() {
        let draft = CreateDraft(name: "new store", cloudHsmClusterId: "cluster-abc", trustAnchorPath: "ca.crt", keyStorePassword: "secret123")
        let command = AWSCommandLine.create(draft, backend: Fixtures.backend)
        #expect(command == "aws kms create-custom-key-store --custom-key-store-name 'new store' --cloud-hsm-cluster-id cluster-abc --trust-anchor-certificate file://ca.crt --key-store-password <kmsuser-password>")
        #expect(!command.contains("secret123"))
    }
}
