import Foundation
import KeyStoreEngine

/// The steps of disconnecting a CloudHSM key store: log out, disconnect, remove what connect made.
struct DisconnectSteps {
    let tx: WorldTransaction
    let store: KeyStoreRecord
    let at: Date

    func run(_ step: WorkflowStep, subject: String?) throws -> StepOutcome {
        switch step {
        case .logOutKmsUser:
            try tx.logOutKmsUser(of: store)
            return .next(.disconnectFromCluster, subject: nil, resource: nil)
        case .disconnectFromCluster:
            return try nextRemoval(resource: nil)
        case .deleteNetworkInterface:
            var resource: StepResource?
            if let id = subject, let eni = try NetworkInterfaceRecord.fetchOne(tx.db, key: id) {
                resource = try tx.deleteNetworkInterface(eni)
            }
            return try nextRemoval(resource: resource)
        case .deleteSecurityGroup:
            var resource: StepResource?
            if let group = try tx.securityGroup(ofKeyStore: store.id) {
                try group.delete(tx.db)
                resource = StepResource(id: group.id, name: group.name)
            }
            return .finished(resource: resource, finalState: .disconnected)
        default:
            return .failed(.internalError, "Unexpected step \(step.rawValue) in a disconnect.")
        }
    }

    private func nextRemoval(resource: StepResource?) throws -> StepOutcome {
        if let eni = try tx.networkInterfaces(ofKeyStore: store.id).first {
            return .next(.deleteNetworkInterface, subject: eni.id, resource: resource)
        }
        if try tx.securityGroup(ofKeyStore: store.id) != nil {
            return .next(.deleteSecurityGroup, subject: nil, resource: resource)
        }
        return .finished(resource: resource, finalState: .disconnected)
    }
}
