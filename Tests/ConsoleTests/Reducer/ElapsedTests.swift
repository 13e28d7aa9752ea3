import Foundation
@testable import Console
import KeyStoreEngine
import Testing

@Suite("Elapsed time against the documented duration")
struct ElapsedTests {
    /// On AWS, staging (CONNECTING) and archive (DISCONNECTING) are in transit when the console first looks.
    func awsDriver() -> Driver { Driver(Fixtures.awsState()) }

    func progress(_ id: String, _ state: ConnectionState = .connecting, ago seconds: TimeInterval,
                  _ precision: TransitionProgress.Precision = .observed) -> TransitionProgress {
        TransitionProgress(keyStoreId: id, state: state, startedAt: Fixtures.now.addingTimeInterval(-seconds), precision: precision,
                           documentedDuration: TransitionProgress.documentedDuration(for: .awsCloudHSM, state: state))
    }

    func trayLine(_ driver: Driver, _ name: String) -> String {
        let frame = driver.frame()
        let tray = frame.row(containing: "── Running") ?? 0
        return (tray..<frame.height).map(frame.line).first { $0.contains(name) } ?? ""
    }

    @Test func storesInTransitAtLoadJoinTheTrayAndAskTheServiceSinceWhen() {
        var state = AppState(backend: Fixtures.awsBackend, regionChoices: Fixtures.awsRegions, timeZone: Fixtures.utc, now: Fixtures.now)
        _ = reduce(&state, .eventsFollowed(after: 0))
        let effects = reduce(&state, .storesLoaded(Fixtures.stores))
        #expect(effects == [.loadTransition(storeId: Fixtures.stagingId), .loadTransition(storeId: Fixtures.archiveId)])
        #expect(state.runningWorkflows.map(\.storeId).sorted() == [Fixtures.stagingId, Fixtures.archiveId].sorted())
        #expect(state.runningWorkflows.allSatisfy { $0.startPrecision == .alreadyUnderWay })

        var simulator = Fixtures.loadedState()
        #expect(reduce(&simulator, .storesLoaded(Fixtures.stores)).isEmpty, "the simulator's events say it all")
    }

    @Test func aConnectShowsItsTimeOfUpTo20MinutesAndABar() {
        var driver = awsDriver()
        driver.send(.transitionLoaded(storeId: Fixtures.stagingId, progress(Fixtures.stagingId, ago: 185)))
        let line = trayLine(driver, "staging")
        #expect(line.contains("⠋ Connect    staging               █░░░░░░░░░  CONNECTING, as KMS reports it  (started elsewhere)"))
        #expect(line.hasSuffix("3m 05s of up to 20m"))
        #expect(trayLine(driver, "archive").hasSuffix("≥0s"), "a CloudHSM disconnect has no documented duration")

        driver.select("staging")
        driver.press(.enter)
        let detail = driver.frame(Size(width: 120, height: 60)).text
        #expect(detail.contains("Connect in progress  running · 3m 05s of up to 20m"))
        #expect(detail.contains("████░░░░░░░░░░░░░░░░░░░░░░░░░░  15% of the documented 20 minutes"))
        #expect(detail.contains("KMS reports no steps: cks polls DescribeCustomKeyStores every 2 s until the state changes."))
        #expect(!detail.contains("lower bound"))
    }

    @Test func aTransitionAlreadyUnderWayIsALowerBound() {
        var driver = awsDriver()
        driver.send(.transitionLoaded(storeId: Fixtures.stagingId, progress(Fixtures.stagingId, ago: 65, .alreadyUnderWay)))
        #expect(trayLine(driver, "staging").hasSuffix("≥1m 05s of up to 20m"))
        driver.select("staging")
        driver.press(.enter)
        #expect(driver.frame(Size(width: 120, height: 60)).text
            .contains("It was already under way when cks first saw it: the time shown is a lower bound."))
    }

    @Test func theLowerBoundIsASCIIInASCIIMode() {
        var state = Fixtures.awsState()
        state.glyphs = .ascii
        var driver = Driver(state)
        driver.send(.transitionLoaded(storeId: Fixtures.stagingId, progress(Fixtures.stagingId, ago: 65, .alreadyUnderWay)))
        let text = driver.frame().text
        #expect(text.contains(">=1m 05s of up to 20m"))
        #expect(!text.unicodeScalars.contains { !$0.isASCII }, "nothing outside ASCII on the screen")
    }

    @Test func aFinishedWorkflowWritesItsTimeAsARunningOneDoes() {
        var driver = awsDriver()
        driver.send(.transitionLoaded(storeId: Fixtures.stagingId, progress(Fixtures.stagingId, ago: 185)))
        driver.event(.connectionStateChanged(from: .connecting, to: .connected, errorCode: nil), store: Fixtures.stagingId)
        guard let workflow = driver.state.workflow(of: Fixtures.stagingId) else { Issue.record("no workflow"); return }
        let line = WorkflowTrayView.line(workflow, driver.state, width: 100).plainText
        #expect(line.contains("CONNECTED") && line.hasSuffix("3m 05s"), "not 3:05")
        driver.select("staging")
        driver.press(.enter)
        #expect(driver.frame(Size(width: 120, height: 60)).text.contains("CONNECTED after 3m 05s"))
    }

    @Test func pastTwentyMinutesWarnsAndSaysWhatToCheck() {
        var driver = awsDriver()
        driver.send(.transitionLoaded(storeId: Fixtures.stagingId, progress(Fixtures.stagingId, ago: 0)))
        driver.state.now = Fixtures.now.addingTimeInterval(21 * 60 + 30)
        let frame = driver.frame()
        let line = trayLine(driver, "staging")
        #expect(line.contains("██████████  ! overdue: Enter says what to check"))
        #expect(line.hasSuffix("21m 30s of up to 20m"))
        #expect(frame.style(of: "21m 30s of up to 20m")?.role == .warning)
        #expect(frame.style(of: "! overdue")?.role == .warning)

        driver.select("staging")
        driver.press(.enter)
        let detail = driver.frame(Size(width: 120, height: 60))
        let words = detail.text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(words.contains("! Longer than the 20 minutes AWS documents for a connect: something may be wrong."))
        #expect(words.contains("Check that the cluster is ACTIVE with at least one ACTIVE HSM"))
        #expect(words.contains("disconnect the store (D) and connect it again."))
        #expect(detail.style(of: "! Longer than")?.role == .warning)
    }

    @Test func awsEventsOfATransitionAskForItsStart() {
        var driver = awsDriver()
        let effects = driver.event(.connectionStateChanged(from: .disconnected, to: .connecting, errorCode: nil), store: Fixtures.analyticsId)
        #expect(effects.contains(.loadTransition(storeId: Fixtures.analyticsId)))
        #expect(driver.event(.workflowStarted(.connect), store: Fixtures.analyticsId).contains(.loadTransition(storeId: Fixtures.analyticsId)))
    }

    @Test func theSimulatorShowsTheSameTextFromItsEventsExactStart() {
        var driver = Driver()
        let id = Fixtures.analyticsId
        let start = driver.event(.workflowStarted(.connect), store: id, at: -30)
        #expect(start.isEmpty)
        driver.event(.stepStarted(.createSecurityGroup, subject: nil), store: id, at: -29)
        #expect(driver.state.workflow(of: id)?.startedAt == Fixtures.now.addingTimeInterval(-30), "the start event's time, not first sight")
        #expect(trayLine(driver, "analytics").hasSuffix("30s of up to 20m"))
        #expect(!trayLine(driver, "analytics").contains("█"), "steps, not a bar, on the simulator")
    }

    @Test func aSimulatedWorkflowSeenHalfWayTakesItsStartFromTheHistory() {
        var driver = Driver()
        let id = Fixtures.analyticsId
        let effects = driver.event(.stepStarted(.createNetworkInterface, subject: "in us-east-1a"), store: id, at: -10)
        #expect(effects == [.loadHistory(storeId: id)])
        #expect(trayLine(driver, "analytics").hasSuffix("≥10s of up to 20m"))
        let history = [
            KeyStoreEvent(sequence: 7, time: Fixtures.now.addingTimeInterval(-95), keyStoreId: id, kind: .workflowStarted(.connect)),
            KeyStoreEvent(sequence: 8, time: Fixtures.now.addingTimeInterval(-10), keyStoreId: id,
                          kind: .stepStarted(.createNetworkInterface, subject: "in us-east-1a")),
        ]
        driver.send(.historyLoaded(storeId: id, history))
        #expect(trayLine(driver, "analytics").hasSuffix("1m 35s of up to 20m"))
    }
}
