import Foundation
@testable import Console
import KeyStoreEngine
import Simulator
import Testing

/// The key actions of the detail against the real simulator: disable, schedule the deletion (default 30 days),
/// cancel it, enable, each seen in the key list the console reloads.
@Suite("Key actions on the simulator")
@MainActor
struct KeyActionsOnSimulatorTests {
    @Test func disableScheduleCancelAndEnableAKey() async throws {
        let home = FileManager.default.temporaryDirectory.appending(path: "cks-console-keys-\(UUID().uuidString)")
        let service = try SimulatorService.open(home: home, pace: .instant, drive: true)
        defer {
            service.close()
            try? FileManager.default.removeItem(at: home)
        }
        let store = try #require(try await service.allKeyStores().first { $0.connectionState == .connected })
        let created = try await service.createKey(inKeyStore: store.id, description: "console key actions")
        let console = HeadlessConsole(service: service)
        defer { console.stop() }
        console.start()
        #expect(await console.waitUntil { $0.stores[store.id] != nil })
        console.select(store.name)
        console.press(.enter)
        func state(_ app: AppState) -> KeyState? { app.keys[store.id]?.value?.first { $0.id == created.id }?.keyState }
        #expect(await console.waitUntil { state($0) == .enabled })
        while Reducer.selectedKey(console.state)?.id != created.id {
            let before = console.state.selectedKeyId
            console.press(.character("J"))
            if console.state.selectedKeyId == before { break }
        }
        #expect(Reducer.selectedKey(console.state)?.id == created.id)

        console.press(.character("-"))
        #expect(await console.waitUntil { state($0) == .disabled })
        console.press(.character("W"), .tab, .enter)
        #expect(await console.waitUntil { state($0) == .pendingDeletion })
        let deletion = try #require(try await service.describeKey(created.id).deletionDate)
        #expect(deletion.timeIntervalSince(Date()) > 29 * 86_400)
        console.press(.character("+"))
        #expect(console.state.status?.text == "Cannot enable \(created.id): cancel its deletion first.")
        console.press(.character("U"))
        #expect(await console.waitUntil { state($0) == .disabled })
        console.press(.character("+"))
        #expect(await console.waitUntil { state($0) == .enabled })
    }
}
