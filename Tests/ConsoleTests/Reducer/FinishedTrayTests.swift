import Foundation
@testable import Console
import KeyStoreEngine
import Testing

/// The tray under the table: the newest workflows first, never a stale state, never an interrupted connect shown
/// as a success (issue 15, item 7).
@Suite("The Running and Finished tray")
struct FinishedTrayTests {
    /// A connect seen from its first event to CONNECTED, `seconds` after the fixtures' time.
    func connectFinishes(_ id: String, from: ConnectionState, after seconds: TimeInterval, _ driver: inout Driver) {
        driver.state.now = Fixtures.now.addingTimeInterval(seconds)
        driver.event(.connectionStateChanged(from: from, to: .connecting, errorCode: nil), store: id, at: seconds)
        driver.event(.connectionStateChanged(from: .connecting, to: .connected, errorCode: nil), store: id, at: seconds)
    }

    /// The lines of the tray, between its rule and the event log's.
    func tray(_ frame: Frame) -> String {
        let lines = frame.text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(where: { $0.hasPrefix("── Finished") || $0.hasPrefix("── Running") }) else { return "" }
        return lines[start...].prefix { !$0.hasPrefix("── Events") }.joined(separator: "\n")
    }

    @Test func theNewestFinishedAreShownAndTheOldestHideUnderMore() {
        var driver = Driver(Fixtures.loadedState(size: Size(width: 120, height: 36)))
        let order: [(String, String, ConnectionState)] = [
            (Fixtures.analyticsId, "analytics", .disconnected), (Fixtures.lockedId, "dev-locked", .failed),
            (Fixtures.legacyId, "legacy-vault", .failed), (Fixtures.stagingId, "staging", .connecting),
            (Fixtures.archiveId, "archive", .disconnecting),
        ]
        for (index, entry) in order.enumerated() { connectFinishes(entry.0, from: entry.2, after: Double(index), &driver) }
        let frame = driver.frame()
        let tray = try! #require(frame.row(containing: "Finished"), "\(frame.text)")
        #expect(frame.line(tray + 1).contains("archive"), "the newest first:\n\(frame.text)")
        #expect(frame.line(tray + 2).contains("staging"))
        #expect(frame.line(tray + 3).contains("legacy-vault"))
        #expect(frame.line(tray + 4).contains("+ 2 earlier"), "the two oldest are hidden:\n\(frame.text)")
        #expect(!frame.text.contains("Connect    analytics"))
    }

    @Test func aFailedConnectGoesOnceTheStoreHasConnectedSince() {
        var driver = Driver()
        let id = Fixtures.analyticsId
        driver.select("analytics")
        driver.press(.character("c"))
        driver.event(.connectionStateChanged(from: .disconnected, to: .connecting, errorCode: nil), store: id)
        driver.event(.connectionStateChanged(from: .connecting, to: .failed, errorCode: .networkErrors), store: id)
        #expect(driver.frame().text.contains("FAILED  NETWORK_ERRORS"))
        driver.state.now = Fixtures.now.addingTimeInterval(2)
        driver.event(.connectionStateChanged(from: .failed, to: .disconnecting, errorCode: nil), store: id, at: 2)
        driver.event(.connectionStateChanged(from: .disconnecting, to: .disconnected, errorCode: nil), store: id, at: 2)
        connectFinishes(id, from: .disconnected, after: 3, &driver)
        let text = driver.frame().text
        #expect(driver.state.stores[id]?.connectionState == .connected)
        #expect(!tray(driver.frame()).contains("NETWORK_ERRORS"), "no stale FAILED while the store is CONNECTED:\n\(text)")
        #expect(text.contains("✓ Connect    analytics"), "\(text)")
    }

    @Test func aSuccessGoesWhenTheStoreSettlesInAnotherState() {
        var driver = Driver()
        let id = Fixtures.analyticsId
        connectFinishes(id, from: .disconnected, after: 0, &driver)
        #expect(driver.frame().text.contains("✓ Connect    analytics"))
        driver.event(.connectionStateChanged(from: .connected, to: .failed, errorCode: .clusterNotFound), store: id)
        let text = driver.frame().text
        #expect(!text.contains("✓ Connect    analytics"), "the tray does not say CONNECTED of a FAILED store:\n\(text)")
    }

    @Test func aConnectInterruptedByADisconnectFromHereIsNoSuccess() {
        var driver = Driver()
        let id = Fixtures.analyticsId
        driver.select("analytics")
        driver.press(.character("c"))
        driver.event(.connectionStateChanged(from: .disconnected, to: .connecting, errorCode: nil), store: id)
        driver.event(.stepStarted(.createSecurityGroup, subject: nil), store: id)
        driver.press(.character("d"), .tab, .enter)
        driver.event(.connectionStateChanged(from: .connecting, to: .disconnecting, errorCode: nil), store: id)
        let during = driver.frame().text
        #expect(during.contains("✗ Connect    analytics"), "\(during)")
        #expect(during.contains("interrupted by a disconnect"), "\(during)")
        driver.event(.connectionStateChanged(from: .disconnecting, to: .disconnected, errorCode: nil), store: id)
        // The connect's own tracker sees the store end DISCONNECTED.
        driver.send(.workflowUpdate(.connect, storeId: id, .finished(.disconnected)))
        let connect = try! #require(driver.state.workflows.first { $0.kind == .connect })
        #expect(connect.interruptedBy == .disconnect)
        #expect(!connect.succeeded)
        #expect(driver.state.workflows.last?.kind == .disconnect)
        #expect(driver.state.workflows.last?.succeeded == true)
        let text = driver.frame().text
        #expect(!text.contains("✓ Connect"), "an interrupted connect is not a success:\n\(text)")
        #expect(text.contains("✓ Disconnect analytics"), "\(text)")
    }

    @Test func aConnectInterruptedByADisconnectFromElsewhereIsNoSuccess() {
        var driver = Driver()
        let id = Fixtures.analyticsId
        driver.select("analytics")
        driver.press(.character("c"))
        driver.event(.connectionStateChanged(from: .disconnected, to: .connecting, errorCode: nil), store: id)
        driver.event(.workflowStarted(.disconnect), store: id)
        driver.event(.stepStarted(.logOutKmsUser, subject: nil), store: id)
        driver.event(.connectionStateChanged(from: .connecting, to: .disconnected, errorCode: nil), store: id)
        let connect = try! #require(driver.state.workflows.first { $0.kind == .connect })
        #expect(connect.interruptedBy == .disconnect)
        #expect(connect.steps.isEmpty, "the disconnect's steps are not the connect's")
        let disconnect = try! #require(driver.state.workflows.last)
        #expect(disconnect.kind == .disconnect && disconnect.origin == .elsewhere && disconnect.succeeded)
        #expect(!driver.frame().text.contains("✓ Connect"))
    }

    @Test func aConnectEndingDisconnectedWithoutASeenDisconnectIsNoSuccess() {
        var driver = Driver()
        let id = Fixtures.analyticsId
        driver.select("analytics")
        driver.press(.character("c"))
        driver.send(.workflowUpdate(.connect, storeId: id, .finished(.disconnected)))
        let text = driver.frame().text
        #expect(!text.contains("✓ Connect"), "\(text)")
        #expect(text.contains("the connect did not happen"), "\(text)")
    }
}
