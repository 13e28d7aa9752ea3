import Foundation
@testable import Console
import KeyStoreEngine

/// The screens the frame tests compare, each built from the fixtures by pressing keys.
struct FrameScenes {
    static let size = Size(width: 100, height: 24)

    /// The fixtures with the event log hidden by choice (`l`), as these frames were drawn before the log opened
    /// by itself on short terminals; `NarrowFrameTests` covers the log.
    func driver() -> Driver {
        var state = Fixtures.loadedState(size: Self.size)
        state.log.chosen = false
        state.log.visible = false
        return Driver(state)
    }

    func list() -> Frame { driver().frame() }

    func menu() -> Frame {
        var driver = driver()
        driver.select("dev-locked")
        driver.press(.character("a"))
        return driver.frame()
    }

    func disconnect() -> Frame {
        var driver = driver()
        driver.select("prod-payments")
        driver.press(.character("D"))
        driver.send(.keysLoaded(storeId: Fixtures.prodId, Fixtures.keys[Fixtures.prodId]!))
        return driver.frame()
    }

    /// A connect started here, two steps in, seven seconds later.
    func connecting() -> Driver {
        var driver = driver()
        let id = Fixtures.analyticsId
        driver.select("analytics")
        driver.press(.character("c"))
        driver.event(.connectionStateChanged(from: .disconnected, to: .connecting, errorCode: nil), store: id)
        driver.event(.workflowStarted(.connect), store: id)
        driver.event(.stepStarted(.createSecurityGroup, subject: nil), store: id)
        driver.event(.stepFinished(.createSecurityGroup, resource: StepResource(id: "sg-0a1b2c3d", name: "kms-\(id)")), store: id)
        driver.event(.stepStarted(.createNetworkInterface, subject: "in us-east-1a"), store: id)
        driver.event(.stepFinished(.createNetworkInterface, resource: StepResource(id: "eni-0f1e2d3c", availabilityZone: "us-east-1a")), store: id)
        driver.event(.stepStarted(.createNetworkInterface, subject: "in us-east-1b"), store: id)
        driver.state.now = Fixtures.now.addingTimeInterval(7)
        return driver
    }

    func progress() -> Frame { connecting().frame() }

    func progressDetail() -> Frame {
        var driver = connecting()
        driver.press(.enter)
        return driver.frame()
    }

    func failedDetail() -> Frame {
        var driver = driver()
        driver.select("dev-locked")
        driver.press(.enter)
        driver.send(.keysLoaded(storeId: Fixtures.lockedId, Fixtures.keys[Fixtures.lockedId]!))
        driver.send(.historyLoaded(storeId: Fixtures.lockedId, []))
        return driver.frame(Size(width: 100, height: 70))
    }

    func help() -> Frame {
        var driver = driver()
        driver.press(.character("?"))
        return driver.frame()
    }

    func tooSmall() -> Frame {
        driver().frame(Size(width: 50, height: 10))
    }

    func ascii() -> Frame {
        var state = Fixtures.loadedState(size: Self.size, glyphs: .ascii)
        state.log.chosen = false
        state.log.visible = false
        var driver = Driver(state)
        driver.select("dev-locked")
        return driver.frame()
    }
}
