import Foundation
@testable import Console
import KeyStoreEngine
import Simulator
import Testing

/// The console's guided repair against the real simulator, for every CloudHSM code: a fault, a connect that ends
/// FAILED with the code, then `f` and Enter through the repair's dialogs (the simulated fix behind its
/// confirmation, the pre-filled edit, the connect) until the store is CONNECTED.
@Suite("Guided repair on the simulator")
@MainActor
struct GuidedRepairOnSimulatorTests {
    static let store = "cks-3c4d5e6f708192a3b"
    static let cluster = "cluster-4ledgerarch"

    /// A fault of ledger-archive's cluster for each code (subnets: the cluster's, by zone).
    static func fault(for code: ConnectionErrorCode, subnets: [String]) -> WorldFault? {
        switch code {
        case .clusterNotFound: .deleteCluster(clusterId: cluster)
        case .subnetNotFound: .deleteSubnet(subnetId: subnets[1])
        case .insufficientCloudHSMHSMs: .removeHSM(clusterId: cluster, hsmId: nil)
        case .insufficientFreeAddressesInSubnet: .fillSubnet(subnetId: subnets[2])
        case .networkErrors: .blockNetwork(clusterId: cluster)
        case .userNotFound: .deleteKmsUser(clusterId: cluster)
        case .userLoggedIn: .logInKmsUserElsewhere(clusterId: cluster)
        case .userLockedOut: .lockKmsUser(clusterId: cluster)
        case .invalidCredentials: .setKmsUserPassword(clusterId: cluster, password: "SomebodyElse1")
        case .internalError: .injectInternalError(clusterId: cluster)
        default: nil
        }
    }

    @Test("f, then Enter through each dialog, ends CONNECTED", arguments: ConnectionErrorCode.cloudHSMCodes)
    func repairEndsConnected(code: ConnectionErrorCode) async throws {
        let home = FileManager.default.temporaryDirectory.appending(path: "cks-console-repair-\(UUID().uuidString)")
        let service = try SimulatorService.open(home: home, pace: .instant, drive: true)
        defer {
            service.close()
            try? FileManager.default.removeItem(at: home)
        }
        let subnets = try await service.clusters().first { $0.id == Self.cluster }?.subnets.sorted { $0.availabilityZone < $1.availabilityZone }
            .map(\.id) ?? []
        try await service.apply(try #require(Self.fault(for: code, subnets: subnets)))
        let console = HeadlessConsole(service: service)
        defer { console.stop() }
        console.start()
        #expect(await console.waitUntil { $0.stores[Self.store] != nil })
        try await service.connectKeyStore(id: Self.store)
        #expect(await console.waitUntil { $0.stores[Self.store]?.connectionState == .failed }, "\(code.rawValue): FAILED first")
        #expect(console.state.stores[Self.store]?.connectionErrorCode == code)

        // From the list: f opens the store and asks to disconnect it, the first step of the repair.
        console.select("ledger-archive")
        console.press(.character("f"))
        #expect(console.state.screen == .detail(storeId: Self.store))
        guard case .disconnect? = console.state.modal else { Issue.record("\(code.rawValue): no disconnect confirmation"); return }
        // The fix in the detail names the real IDs: no placeholder is left in a cks command.
        #expect(await console.waitUntil { $0.repairContexts[Self.store] != nil })
        let store = try #require(console.state.stores[Self.store])
        let steps = RepairGuide(store: store, repair: console.state.repairs[Self.store], context: Reducer.repairContext(Self.store, console.state)).steps
        for step in steps {
            let own = step.components(separatedBy: "(real AWS").first ?? step
            let commands = own.split(separator: "`").enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
            for command in commands where command.hasPrefix("cks ") { #expect(!command.contains("<"), "\(code.rawValue): \(command)") }
        }
        console.press(.tab, .enter)

        let expected = try #require(console.state.repairs[Self.store]).stages
        var seen: [AppState.Repair.Stage] = [.disconnect]
        for _ in 0..<4 {
            let moved = await console.waitUntil { state in
                state.stores[Self.store]?.connectionState == .connected && state.repairs[Self.store] == nil
                    || Self.dialogStage(state) != nil
            }
            #expect(moved, "\(code.rawValue): stuck after \(seen)")
            guard moved, let stage = Self.dialogStage(console.state) else { break }
            seen.append(stage)
            if stage == .fix {
                // The confirmation says the fix is simulated.
                #expect(console.frame.text.contains("simulated fix"), "\(code.rawValue)")
            }
            console.press(stage == .edit ? .control("s") : .enter)
        }
        #expect(seen == expected, "\(code.rawValue)")
        #expect(console.state.stores[Self.store]?.connectionState == .connected, "\(code.rawValue): CONNECTED at the end")
        #expect(console.state.status?.text == "Repaired: ledger-archive is CONNECTED.", "\(code.rawValue)")
    }

    /// The repair dialog open now, as the stage it carries out.
    static func dialogStage(_ state: AppState) -> AppState.Repair.Stage? {
        switch state.modal {
        case .simulatedFix?: .fix
        case let .form(form)? where form.kind == .edit(storeId: store) && !form.submitting: .edit
        case .connectAfterRepair?: .connect
        default: nil
        }
    }
}
