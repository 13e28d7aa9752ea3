import Foundation
import Testing

/// Ctrl-C during `connect --wait` / `disconnect --wait` stops following, not the workflow, and says so
/// (issue 15, item 13).
@Suite("Ctrl-C while following a workflow")
struct WorkflowInterruptTests {
    @Test("Ctrl-C during connect --wait: cks says the connect goes on and how to follow it; the store then ends CONNECTED")
    func connect() async throws {
        let world = try TestWorld()
        let store = Demo.ledgerArchive
        let running = try world.start(["connect", store.name, "--wait", "--pace", "demo"])
        running.whenOutput({ $0.contains("Connecting \(store.name)") }) { running.send(SIGINT) }
        let result = try await running.finish(bound: .testWaitBound)
        #expect(result.status == 130 && !result.killedBySignal, "\(result)")
        #expect(result.stderr.contains("stopped following the connect of \(store.name) (\(store.id)); the connect goes on in KMS"), "\(result)")
        #expect(result.stderr.contains("`cks list --id \(store.id)`") && result.stderr.contains("`cks connect \(store.id) --wait`"), "\(result)")
        try await world.waitForState(store.id, "CONNECTED", bound: .testWaitBound)
    }

    @Test("Ctrl-C during disconnect --wait: cks says the disconnect goes on; the store then ends DISCONNECTED")
    func disconnect() async throws {
        let world = try TestWorld()
        let store = Demo.paymentsProd
        let running = try world.start(["disconnect", store.name, "--wait", "--pace", "realistic"])
        running.whenOutput({ $0.contains("Disconnecting \(store.name)") }) { running.send(SIGINT) }
        let result = try await running.finish(bound: .testWaitBound)
        #expect(result.status == 130 && !result.killedBySignal, "\(result)")
        #expect(result.stderr.contains("stopped following the disconnect of \(store.name) (\(store.id)); the disconnect goes on in KMS"), "\(result)")
        #expect(result.stderr.contains("`cks list --id \(store.id)`"), "\(result)")
        let state = try await world.state(of: store.id).state
        #expect(["DISCONNECTING", "DISCONNECTED"].contains(state), "\(state)")
    }
}
