import Foundation

/// A backend whose world can be repaired from cks itself: the embedded simulator. The console and the CLI
/// find it with a conditional cast on their service (`as? any SimulatedRepairs`), never by naming the simulator.
public protocol SimulatedRepairs: KeyStoreService {
    /// The real values the fix of a store names: its cluster, the cluster a restore will make (or made), the
    /// subnet at fault, the zones for new HSMs and a fresh password.
    func repairContext(forKeyStore id: String) async throws(KMSError) -> RepairContext

    /// Applies a simulator action that undoes the cause of a store's failure, with the values of `context`
    /// (which carries, after a restore, the new cluster's ID). Never changes the store itself.
    func applyRepair(_ action: SimulatedRepairAction, context: RepairContext) async throws(KMSError) -> SimulatedRepairResult

    /// The action that undoes the cause of an external key store's `code` in the simulated world as it is now (a host
    /// with no route is routed, a routed one's proxy has its faults cleared), nil when connecting again is the whole
    /// fix. The world decides, so the catalogue names no action for XKS codes; a CloudHSM code's action is the
    /// catalogue's (`RepairPath.simulatorAction`).
    func xksRepairAction(for code: ConnectionErrorCode, ofKeyStore id: String) async throws(KMSError) -> SimulatedRepairAction?
}

/// What a simulated repair changed, and what the store must be told next.
public struct SimulatedRepairResult: Sendable, Hashable {
    /// What changed, for people ("kmsuser logged out of cluster …").
    public var description: String
    /// The context with what the action made (a restored cluster's ID, the password it set).
    public var context: RepairContext

    public init(description: String, context: RepairContext) {
        self.description = description
        self.context = context
    }
}
