import Foundation
import GRDB
import KeyStoreEngine

/// The steps of connecting an external key store (XKS spec section 2.1): for a VPC store, check the endpoint
/// service and its private DNS name, create the interface endpoint and the private hosted zone; then one signed
/// GetHealthStatus (`checkProxyHealth`), which runs outside any transaction (`SimulatorService+XKSWorkflow`).
struct XKSConnectSteps {
    let tx: WorldTransaction
    let store: KeyStoreRecord
    let at: Date

    /// The first step of a connect.
    static func firstStep(for store: KeyStoreRecord) -> WorkflowStep {
        store.xksConnectivity == .vpcEndpointService ? .checkEndpointService : .checkProxyHealth
    }

    func run(_ step: WorkflowStep, subject: String?) throws -> StepOutcome {
        if store.internalErrorPending {
            try clearInternalError()
            return .failed(.internalError, "KMS hit an internal error while connecting. Disconnect, then connect again.")
        }
        switch step {
        case .checkEndpointService:
            guard let service = store.xksVpcServiceName else {
                return .failed(.xksVPCEndpointServiceNotFound, "The store names no VPC endpoint service.")
            }
            if let fault = try XKSStoreChecks(tx: tx).endpointServiceFault(service) {
                return .failed(fault.connectionErrorCode, fault.explanation(service: service, region: try tx.info().region))
            }
            let dns = XKSStoreChecks.host(of: store.xksUriEndpoint ?? "")
            return .next(.createVpcEndpoint, subject: nil, resource: StepResource(id: service, name: "private DNS \(dns) verified"))
        case .createVpcEndpoint:
            let endpoint = try resource(.vpcEndpoint) ?? make(.vpcEndpoint, id: Identifier.vpcEndpoint(), name: store.xksVpcServiceName ?? "")
            return .next(.createHostedZone, subject: nil, resource: StepResource(id: endpoint.id, name: endpoint.name))
        case .createHostedZone:
            let dns = XKSStoreChecks.host(of: store.xksUriEndpoint ?? "")
            let zone = try resource(.hostedZone) ?? make(.hostedZone, id: Identifier.hostedZone(), name: dns)
            return .next(.checkProxyHealth, subject: nil, resource: StepResource(id: zone.id, name: zone.name))
        default:
            return .failed(.internalError, "Unexpected step \(step.rawValue) in an external key store's connect.")
        }
    }

    /// The outcome of the connect's GetHealthStatus: CONNECTED when the proxy answered, FAILED with the code the
    /// wire produced otherwise (a KMS internal error injected meanwhile wins).
    func healthOutcome(_ health: XKSProxyHealth) throws -> StepOutcome {
        if store.internalErrorPending {
            try clearInternalError()
            return .failed(.internalError, "KMS hit an internal error while connecting. Disconnect, then connect again.")
        }
        switch health.outcome {
        case let .answered(report):
            let statuses = report.ekmFleetDetails.map(\.healthStatus)
            let counts = Dictionary(grouping: statuses, by: { $0 }).sorted { $0.key < $1.key }.map { "\($0.value.count) \($0.key)" }
            let host = XKSStoreChecks.host(of: store.xksUriEndpoint ?? "")
            return .finished(resource: StepResource(id: host, name: "key managers: " + counts.joined(separator: ", ")),
                             finalState: .connected)
        case let .failed(code, detail):
            return .failed(code, detail)
        }
    }

    private func clearInternalError() throws {
        var updated = store
        updated.internalErrorPending = false
        try updated.update(tx.db)
    }

    private func resource(_ kind: XKSVpcResourceRecord.Kind) throws -> XKSVpcResourceRecord? {
        try XKSVpcResourceRecord.filter(Column("key_store_id") == store.id && Column("kind") == kind.rawValue).fetchOne(tx.db)
    }

    private func make(_ kind: XKSVpcResourceRecord.Kind, id: String, name: String) throws -> XKSVpcResourceRecord {
        let record = XKSVpcResourceRecord(id: id, keyStoreId: store.id, kind: kind, name: name)
        try record.insert(tx.db)
        return record
    }
}

/// The steps of disconnecting an external key store: stop sending to the proxy, then (VPC) delete the hosted
/// zone and the interface endpoint the connect made.
struct XKSDisconnectSteps {
    let tx: WorldTransaction
    let store: KeyStoreRecord

    func run(_ step: WorkflowStep, subject: String?) throws -> StepOutcome {
        switch step {
        case .disconnectFromProxy:
            return try nextRemoval(resource: nil)
        case .deleteHostedZone, .deleteVpcEndpoint:
            let kind: XKSVpcResourceRecord.Kind = step == .deleteHostedZone ? .hostedZone : .vpcEndpoint
            var resource: StepResource?
            if let record = try tx.vpcResources(ofKeyStore: store.id).first(where: { $0.kind == kind }) {
                try record.delete(tx.db)
                resource = StepResource(id: record.id, name: record.name)
            }
            return try nextRemoval(resource: resource)
        default:
            return .failed(.internalError, "Unexpected step \(step.rawValue) in an external key store's disconnect.")
        }
    }

    private func nextRemoval(resource: StepResource?) throws -> StepOutcome {
        let left = try tx.vpcResources(ofKeyStore: store.id)
        if left.contains(where: { $0.kind == .hostedZone }) { return .next(.deleteHostedZone, subject: nil, resource: resource) }
        if left.contains(where: { $0.kind == .vpcEndpoint }) { return .next(.deleteVpcEndpoint, subject: nil, resource: resource) }
        return .finished(resource: resource, finalState: .disconnected)
    }
}

extension WorldTransaction {
    func vpcResources(ofKeyStore id: String) throws -> [XKSVpcResourceRecord] {
        try XKSVpcResourceRecord.filter(Column("key_store_id") == id).order(Column("kind"), Column("id")).fetchAll(db)
    }

    /// Deletes the interface endpoint and hosted zone KMS made for a VPC store, recording each removal.
    func removeVpcResources(of store: KeyStoreRecord, at time: Date) throws {
        let resources = try vpcResources(ofKeyStore: store.id).sorted { $0.kind == .hostedZone && $1.kind != .hostedZone }
        for record in resources {
            try record.delete(db)
            let step: WorkflowStep = record.kind == .hostedZone ? .deleteHostedZone : .deleteVpcEndpoint
            try self.record(.stepFinished(step, resource: StepResource(id: record.id, name: record.name)), keyStoreId: store.id, at: time)
        }
    }
}
