import Foundation
import GRDB
import KeyStoreEngine

/// Advances durable connect and disconnect workflows. Each call re-reads the workflow rows inside the
/// caller's write transaction, so a step runs exactly once however many processes race to run it.
struct WorkflowRunner {
    let tx: WorldTransaction

    /// The earliest moment something is due: a workflow step or the end of a key's deletion wait.
    static func nextDueDate(_ db: Database) throws -> Date? {
        let statement = try db.cachedStatement(sql: """
            SELECT MIN(due) FROM (SELECT MIN(due_at) AS due FROM workflows
                                  UNION ALL SELECT MIN(deletion_date) FROM kms_keys WHERE own_state = ?)
            """)
        return try Double.fetchOne(statement, arguments: [KeyState.pendingDeletion.rawValue])
            .map { Date(timeIntervalSince1970: $0) }
    }

    /// Runs everything due at or before `tx.now`, oldest first. Returns true when anything changed.
    @discardableResult
    func catchUp() throws -> Bool {
        var changed = false
        // A step that calls a proxy is never run inside a transaction: `SimulatorService.runDueProxySteps` does it.
        while let workflow = try WorkflowRecord
            .filter(Column("due_at") <= tx.now.timeIntervalSince1970)
            .filter(Column("step") != WorkflowStep.checkProxyHealth.rawValue)
            .order(Column("due_at"), Column("key_store_id"))
            .fetchOne(tx.db) {
            try run(workflow)
            changed = true
        }
        let expired = try KeyRecord
            .filter(Column("own_state") == KeyState.pendingDeletion.rawValue)
            .filter(Column("deletion_date") <= tx.now.timeIntervalSince1970)
            .fetchAll(tx.db)
        for key in expired {
            try key.delete(tx.db)
            try tx.db.execute(sql: "DELETE FROM key_usage WHERE key_id = ?", arguments: [key.id])
            try tx.record(.keyDeleted(keyId: key.id), keyStoreId: key.keyStoreId, at: key.deletionDate)
            changed = true
        }
        return changed
    }

    /// Starts a workflow at `time` (the API call's moment): records it, moves the store to CONNECTING or
    /// DISCONNECTING, and schedules the first step.
    func begin(_ kind: WorkflowKind, for store: inout KeyStoreRecord, pace: WorkflowPace, at time: Date) throws {
        try tx.record(.workflowStarted(kind), keyStoreId: store.id, at: time)
        try tx.setConnectionState(&store, to: kind == .connect ? .connecting : .disconnecting, at: time)
        let first: WorkflowStep = switch (store.type, kind) {
        case (.awsCloudHSM, .connect): .locateCluster
        case (.awsCloudHSM, .disconnect): .logOutKmsUser
        case (.externalKeyStore, .connect): XKSConnectSteps.firstStep(for: store)
        case (.externalKeyStore, .disconnect): .disconnectFromProxy
        }
        var workflow = WorkflowRecord(keyStoreId: store.id, kind: kind, step: first, subject: nil, dueAt: time,
                                      startedAt: time, pace: pace)
        try tx.record(.stepStarted(first, subject: nil), keyStoreId: store.id, at: time)
        workflow.dueAt = time.addingTimeInterval(pace.duration(of: first, connectivity: store.xksConnectivity))
        try workflow.save(tx.db)
    }

    private func run(_ workflow: WorkflowRecord) throws {
        guard let store = try tx.keyStore(id: workflow.keyStoreId) else {
            try workflow.delete(tx.db)
            return
        }
        let outcome: StepOutcome
        switch (store.type, workflow.kind) {
        case (.awsCloudHSM, .connect):
            outcome = try ConnectSteps(tx: tx, store: store, at: workflow.dueAt).run(workflow.step, subject: workflow.subject)
        case (.awsCloudHSM, .disconnect):
            outcome = try DisconnectSteps(tx: tx, store: store, at: workflow.dueAt).run(workflow.step, subject: workflow.subject)
        case (.externalKeyStore, .connect):
            outcome = try XKSConnectSteps(tx: tx, store: store, at: workflow.dueAt).run(workflow.step, subject: workflow.subject)
        case (.externalKeyStore, .disconnect):
            outcome = try XKSDisconnectSteps(tx: tx, store: store).run(workflow.step, subject: workflow.subject)
        }
        try apply(outcome, to: workflow)
    }

    /// Records a step's outcome and moves the workflow on: the next step, the final state, or FAILED with
    /// everything the connect made undone.
    func apply(_ outcome: StepOutcome, to workflow: WorkflowRecord) throws {
        guard var store = try tx.keyStore(id: workflow.keyStoreId) else {
            try workflow.delete(tx.db)
            return
        }
        // Read after the step, which may have changed the store (a rotated password).
        let at = workflow.dueAt
        switch outcome {
        case let .next(step, subject, resource):
            try tx.record(.stepFinished(workflow.step, resource: resource), keyStoreId: store.id, at: at)
            try tx.record(.stepStarted(step, subject: subject.map { describe(step: step, subject: $0) }), keyStoreId: store.id, at: at)
            var next = workflow
            next.step = step
            next.subject = subject
            next.dueAt = at.addingTimeInterval(workflow.pace.duration(of: step, connectivity: store.xksConnectivity))
            try next.update(tx.db)
        case let .finished(resource, finalState):
            try tx.record(.stepFinished(workflow.step, resource: resource), keyStoreId: store.id, at: at)
            try workflow.delete(tx.db)
            try tx.setConnectionState(&store, to: finalState, at: at)
            if store.type == .externalKeyStore {
                try tx.scheduleHealthProbe(ofKeyStore: store.id, after: finalState == .connected ? at : nil, pace: workflow.pace)
            }
        case let .failed(code, message):
            try tx.record(.stepFailed(workflow.step, errorCode: code, message: message), keyStoreId: store.id, at: at)
            try workflow.delete(tx.db)
            try tx.logOutKmsUser(of: store)
            try tx.removeNetworkResources(of: store, at: at)
            try tx.removeVpcResources(of: store, at: at)
            try tx.setConnectionState(&store, to: .failed, errorCode: code, at: at)
        }
    }

    /// "subnet-… in us-east-1a" for a subnet subject, the ENI id for a deletion.
    private func describe(step: WorkflowStep, subject: String) -> String {
        if step == .createNetworkInterface, let subnet = try? SubnetRecord.fetchOne(tx.db, key: subject) {
            return "in \(subnet.availabilityZone) (\(subnet.id))"
        }
        if step == .deleteNetworkInterface, let eni = try? NetworkInterfaceRecord.fetchOne(tx.db, key: subject) {
            return "\(eni.id) in \(eni.availabilityZone)"
        }
        return subject
    }
}

/// What running one step leads to.
enum StepOutcome {
    /// The step is done (recorded with its resource); the next one starts.
    case next(WorkflowStep, subject: String?, resource: StepResource?)
    /// The workflow is over; the store settles in `finalState`.
    case finished(resource: StepResource?, finalState: ConnectionState)
    /// The workflow failed with a ConnectionErrorCode.
    case failed(ConnectionErrorCode, String)
}
