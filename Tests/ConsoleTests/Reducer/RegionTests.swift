import Foundation
@testable import Console
import KeyStoreEngine
import Testing

@Suite("Switching Region (R)")
struct RegionTests {
    func awsDriver(size: Size = Size(width: 120, height: 36)) -> Driver { Driver(Fixtures.awsState(size: size)) }

    @Test func theSimulatorHasOneRegionAndSaysHowToSwitch() {
        var driver = Driver()
        #expect(driver.type("R").isEmpty)
        #expect(driver.state.modal == nil)
        #expect(driver.state.status?.text == "The simulator has one Region; run cks --backend aws to switch Regions.")
        driver.type(":region eu-west-1")
        #expect(driver.press(.enter).isEmpty)
        #expect(driver.state.status?.text == Reducer.singleRegionMessage)
        #expect(!HeaderView.globalHints(driver.state).plainText.contains("region"), "no R hint where it cannot work")
    }

    @Test func rOpensThePickerOnTheCurrentRegion() {
        var driver = awsDriver(size: Size(width: 80, height: 24))
        driver.type("R")
        #expect(driver.state.modal == .regionPicker(RegionPicker(highlighted: "us-east-1")))
        let frame = driver.frame()
        #expect(frame.text.contains("Switch Region · aws"))
        #expect(frame.text.contains("▸ ● us-east-1        US East (N. Virginia)      current"))
        #expect(frame.text.contains("    eu-west-1        Europe (Ireland)"))
        #expect(frame.text.contains("/ type to filter: eu, tokyo…"))
        #expect(frame.text.contains("5 of 6"))
        #expect(frame.style(of: "us-east-1        US East")?.selected == true, "the current Region is highlighted")
        #expect(frame.line(23).contains("↓/↑ move") && frame.line(23).contains("⏎ switch") && frame.line(23).contains("Esc close"))
        #expect(HeaderView.globalHints(driver.state).plainText.contains("R region"))
    }

    @Test func typingFiltersByCodeOrNameAndEnterSwitches() {
        var driver = awsDriver()
        driver.type("R")
        driver.type("frank")
        #expect(driver.state.modal == .regionPicker(RegionPicker(filter: "frank", highlighted: "eu-central-1")))
        driver.press(.control("u"))
        driver.type("eu-w")
        #expect(driver.frame().text.contains("1 of 2"))
        driver.press(.down)
        let effects = driver.press(.enter)
        #expect(effects == [.switchRegion("eu-west-2")])
        #expect(driver.state.modal == nil)
        #expect(driver.state.status?.text == "Switching to eu-west-2…")
    }

    @Test func theCurrentRegionNoMatchAndEsc() {
        var driver = awsDriver()
        driver.type("R")
        #expect(driver.press(.enter).isEmpty)
        #expect(driver.state.status?.text == "Already in us-east-1.")
        driver.type("Rzz")
        #expect(driver.press(.enter).isEmpty)
        #expect(driver.state.status?.text.hasPrefix("No Region matches \"zz\"") == true)
        #expect(driver.frame().text.contains("No Region matches \"zz\"; Backspace widens the list."))
        driver.press(.escape)
        #expect(driver.state.modal == nil)
    }

    @Test func regionCommand() {
        var driver = awsDriver()
        driver.type(":region eu-west-1")
        #expect(driver.press(.enter) == [.switchRegion("eu-west-1")])
        driver.type(":region ca-west-9")
        #expect(driver.press(.enter) == [.switchRegion("ca-west-9")], "a Region the list does not know yet")
        driver.type(":region paris")
        #expect(driver.press(.enter).isEmpty)
        #expect(driver.state.status == .init(text: "paris is not a Region. Press R for the list.", kind: .error))
        driver.type(":region")
        driver.press(.enter)
        #expect(driver.state.modal == .regionPicker(RegionPicker(highlighted: "us-east-1")))
    }

    @Test func noSwitchWhileACreateIsUnanswered() {
        var driver = awsDriver()
        driver.press(.character("n"))
        driver.type("payments-2")
        driver.press(.tab, .tab)
        driver.type("~/customerCA.crt")
        driver.press(.tab)
        driver.type("kmsuserPass1")
        #expect(driver.press(.control("s")).count == 1)
        driver.press(.escape)
        #expect(driver.state.modal == nil, "Esc closes the form while it is sent")
        #expect(driver.press(.character("R")).isEmpty)
        #expect(driver.state.modal == nil)
        #expect(driver.state.status == .init(text: "Wait for the create of payments-2 to be answered before switching Region.", kind: .info))
        driver.type(":region eu-west-1")
        #expect(driver.press(.enter).isEmpty, ":region is refused too")
        #expect(driver.state.status?.text == "Wait for the create of payments-2 to be answered before switching Region.")

        driver.send(.createFailed(KMSError(.cloudHsmClusterInUse, "The cluster is in use.")))
        #expect(driver.state.status?.text.contains("CloudHsmClusterInUseException") == true, "the answer is shown, not dropped")
        #expect(driver.state.pendingRequests.isEmpty)
        driver.type(":region eu-west-1")
        #expect(driver.press(.enter) == [.switchRegion("eu-west-1")])
    }

    @Test func noSwitchUntilKMSAcceptsAConnectThenItGoesOnThere() {
        var driver = awsDriver()
        driver.select("analytics")
        #expect(driver.press(.character("c")) == [.startWorkflow(.connect, storeId: Fixtures.analyticsId)])
        driver.select("prod-payments")
        driver.press(.character("e"))
        driver.press(.control("u"))
        driver.type("prod-cards")
        driver.press(.control("s"))
        driver.press(.escape)
        driver.press(.character("R"))
        #expect(driver.state.status?.text
            == "Wait for the connect of analytics and the edit of prod-payments to be answered before switching Region.")
        driver.send(.updated(storeId: Fixtures.prodId))
        driver.press(.character("R"))
        #expect(driver.state.status?.text == "Wait for the connect of analytics to be answered before switching Region.")
        driver.send(.workflowAccepted(.connect, storeId: Fixtures.analyticsId))
        driver.press(.character("R"))
        #expect(driver.state.modal == .regionPicker(RegionPicker(highlighted: "us-east-1")), "accepted: following it may stop")
    }

    @Test func aDeleteOrARefusedConnectIsAwaitedToo() {
        var state = Fixtures.awsState()
        state.pendingRequests = [.delete(storeId: Fixtures.archiveId), .workflow(.disconnect, storeId: Fixtures.prodId)]
        var driver = Driver(state)
        driver.press(.character("R"))
        #expect(driver.state.status?.text
            == "Wait for the delete of archive and the disconnect of prod-payments to be answered before switching Region.")
        driver.send(.deleteFailed(storeId: Fixtures.archiveId, KMSError(.customKeyStoreHasCMKs, "It has keys.")))
        driver.send(.workflowRejected(.disconnect, storeId: Fixtures.prodId, KMSError(.customKeyStoreInvalidState, "No.")))
        #expect(driver.state.pendingRequests.isEmpty)
        driver.press(.character("R"))
        #expect(driver.state.modal == .regionPicker(RegionPicker(highlighted: "us-east-1")))
    }

    @Test func regionCodesAreASCII() {
        #expect(RegionNames.looksLikeRegion("us-gov-west-1"))
        #expect(RegionNames.looksLikeRegion("ca-west-9"))
        #expect(!RegionNames.looksLikeRegion("ü-west-١"), "Unicode letters and digits never make a host name")
        #expect(!RegionNames.looksLikeRegion("eu-west-١"))
        #expect(!RegionNames.looksLikeRegion("eu-wést-1"))
        #expect(!RegionNames.looksLikeRegion("eu-west-"))
        var driver = awsDriver()
        driver.type(":region ü-west-١")
        #expect(driver.press(.enter).isEmpty)
        #expect(driver.state.status == .init(text: "ü-west-١ is not a Region. Press R for the list.", kind: .error))
    }

    @Test func aSwitchForgetsTheOldRegionAndFollowsTheNewOne() {
        var driver = awsDriver()
        driver.select("analytics")
        driver.press(.character("c"))
        driver.press(.enter)
        #expect(!driver.state.runningWorkflows.isEmpty)
        let europe = BackendDescription(name: "aws", region: "eu-west-1", accountId: "111122223333")
        let effects = driver.send(.regionSwitched(europe, choices: Fixtures.awsRegions))
        #expect(effects == [.followEvents, .loadClusters])
        #expect(driver.state.stores.isEmpty && driver.state.clusters.isEmpty && driver.state.workflows.isEmpty)
        #expect(driver.state.storesStatus == .loading)
        #expect(driver.state.screen == .list)
        #expect(driver.state.status?.text
            == "Switched to eu-west-1. KMS goes on with 3 connects and disconnects in us-east-1 (R to go back and follow them).")
        #expect(driver.frame().line(0).hasSuffix("aws · eu-west-1 · 111122223333"))
        #expect(driver.frame().line(1).contains("loading key stores"))

        driver.send(.eventsFollowed(after: 0))
        driver.send(.storesLoaded([]))
        let log = driver.state.log.entries.map(\.text)
        #expect(log.contains("Switched Region: us-east-1 → eu-west-1"))
        #expect(log.contains("$ aws kms describe-custom-key-stores --region eu-west-1"))
        #expect(log.last == "0 custom key stores in eu-west-1; following changes live")
    }
}
