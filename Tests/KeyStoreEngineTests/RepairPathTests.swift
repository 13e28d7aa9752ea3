import Foundation
import KeyStoreEngine
import Testing

/// The structured repair of each code in assets/troubleshooting.json, and the fix text it resolves to.
@Suite("Repair paths in the catalogue")
struct RepairPathTests {
    let catalogue = TroubleshootingCatalogue.standard

    var cloudHSMEntries: [TroubleshootingEntry] {
        catalogue.entries.filter { $0.storeTypes.contains(.awsCloudHSM) }
    }

    @Test("Every CloudHSM code names a simulator action that undoes it, except INTERNAL_ERROR, which is a retry")
    func everyCloudHSMCodeCanBeUndone() {
        for entry in cloudHSMEntries {
            if entry.code == .internalError {
                #expect(entry.repair.kind == .retry)
                #expect(entry.repair.simulatorAction == nil)
            } else {
                #expect(entry.repair.simulatorAction != nil, "\(entry.code.rawValue)")
            }
        }
    }

    @Test("The printed fix carries out the path: the simulator action's command, and the store field's update")
    func fixStepsMatchThePath() {
        for entry in catalogue.entries {
            let text = entry.fixSteps.joined(separator: "\n")
            if let action = entry.repair.simulatorAction {
                #expect(text.contains("`cks sim \(action.rawValue) "), "\(entry.code.rawValue) names `cks sim \(action.rawValue)`")
            }
            #expect((entry.repair.kind == .editStore) == (entry.repair.storeField != nil), "\(entry.code.rawValue)")
            switch entry.repair.storeField {
            case .password?: #expect(text.contains("`cks update <store> --password <password>`"), "\(entry.code.rawValue)")
            case .clusterId?: #expect(text.contains("`cks update <store> --cluster-id <new-cluster-id>`"), "\(entry.code.rawValue)")
            default: #expect(!text.contains("`cks update"), "\(entry.code.rawValue) changes nothing in KMS")
            }
        }
    }

    @Test("NETWORK_ERRORS on a CloudHSM store says how to lift the block")
    func networkErrorsLiftsTheBlock() throws {
        let entry = try #require(catalogue.entry(for: .networkErrors, storeType: .awsCloudHSM))
        let text = entry.fixSteps.joined(separator: "\n")
        #expect(text.contains("`cks sim unblock-network <cluster>`"))
        #expect(text.contains("`cks sim repair-security-group <cluster>`"))
        let external = try #require(catalogue.entry(for: .networkErrors, storeType: .externalKeyStore))
        #expect(!external.fixSteps.joined().contains("cks sim"))
    }

    @Test("With a simulator's context, no cks command in a CloudHSM fix keeps a placeholder")
    func resolvedCommandsHaveNoPlaceholders() {
        let context = RepairContext(storeId: "cks-1", clusterId: "cluster-a", targetClusterId: "cluster-b", subnetId: "subnet-1",
                                    zones: ["us-east-1a", "us-east-1b"], password: "Secret12345")
        for entry in cloudHSMEntries {
            for step in entry.fixSteps(for: context) {
                let own = step.components(separatedBy: "(real AWS").first ?? step
                let commands = own.split(separator: "`").enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
                for command in commands where command.hasPrefix("cks ") {
                    #expect(!command.contains("<"), "\(entry.code.rawValue): \(command)")
                }
            }
        }
    }

    @Test("A context without a value leaves its placeholder; the store's own IDs are always filled in")
    func resolveKeepsUnknownPlaceholders() {
        let context = RepairContext(storeId: "cks-1", clusterId: "cluster-a")
        #expect(context.resolve("`cks update <store> --cluster-id <new-cluster-id>` for <cluster-id>")
            == "`cks update cks-1 --cluster-id <new-cluster-id>` for cluster-a")
    }

    @Test("Each simulator action prints its cks sim command with the context's values")
    func actionCommandLines() {
        let context = RepairContext(storeId: "cks-1", clusterId: "cluster-a", subnetId: "subnet-1", zones: ["us-east-1a", "us-east-1c"],
                                    password: "Secret12345")
        #expect(SimulatedRepairAction.logoutKmsUser.commandLine(context) == "cks sim logout-kmsuser cluster-a")
        #expect(SimulatedRepairAction.resetKmsUser.commandLine(context) == "cks sim reset-kmsuser cluster-a --password Secret12345")
        #expect(SimulatedRepairAction.addHSM.commandLine(context)
            == "cks sim add-hsm cluster-a --az us-east-1a; cks sim add-hsm cluster-a --az us-east-1c")
        #expect(SimulatedRepairAction.freeSubnet.commandLine(context) == "cks sim free-subnet subnet-1")
    }
}
