import Foundation

/// Something that happened to a custom key store, in the order it happened.
public struct KeyStoreEvent: Sendable, Hashable, Codable, Identifiable {
    /// Increases by one for every event of a world (or of a polling session on real AWS).
    public var sequence: Int64
    public var time: Date
    public var keyStoreId: String?
    public var kind: Kind

    public var id: Int64 { sequence }

    public init(sequence: Int64, time: Date, keyStoreId: String?, kind: Kind) {
        self.sequence = sequence
        self.time = time
        self.keyStoreId = keyStoreId
        self.kind = kind
    }

    /// What happened.
    public enum Kind: Sendable, Hashable, Codable {
        case keyStoreCreated(name: String)
        case keyStoreUpdated(changes: [String])
        case keyStoreDeleted(name: String)
        case connectionStateChanged(from: ConnectionState, to: ConnectionState, errorCode: ConnectionErrorCode?)
        case workflowStarted(WorkflowKind)
        case stepStarted(WorkflowStep, subject: String?)
        case stepFinished(WorkflowStep, resource: StepResource?)
        case stepFailed(WorkflowStep, errorCode: ConnectionErrorCode, message: String)
        case keyCreated(keyId: String)
        case keyDeleted(keyId: String)
        case keyStateChanged(keyId: String, from: KeyState, to: KeyState)
        /// A change of the simulated world (a fault), described for people.
        case worldChanged(description: String)
    }

    /// The store's state after this event, when the event changes it.
    public var newConnectionState: ConnectionState? {
        if case let .connectionStateChanged(_, to, _) = kind { return to }
        return nil
    }
}

/// A resource a workflow step made or removed: a security group, a network interface.
public struct StepResource: Sendable, Hashable, Codable {
    public var id: String
    public var name: String?
    public var availabilityZone: String?
    public var subnetId: String?

    public init(id: String, name: String? = nil, availabilityZone: String? = nil, subnetId: String? = nil) {
        self.id = id
        self.name = name
        self.availabilityZone = availabilityZone
        self.subnetId = subnetId
    }

    /// `eni-0a1b… in us-east-1a (subnet-…)`, `sg-… (kms-cks-…)`.
    public var summary: String {
        var text = id
        if let name { text += " (\(name))" }
        if let availabilityZone { text += " in \(availabilityZone)" }
        if let subnetId { text += " (\(subnetId))" }
        return text
    }
}

extension KeyStoreEvent {
    /// One line for an event log: what happened, without the time.
    public var summary: String {
        switch kind {
        case let .keyStoreCreated(name): "Created key store \(name)"
        case let .keyStoreUpdated(changes): "Updated: " + changes.joined(separator: ", ")
        case let .keyStoreDeleted(name): "Deleted key store \(name)"
        case let .connectionStateChanged(from, to, code):
            "\(from.rawValue) → \(to.rawValue)" + (code.map { " (\($0.rawValue))" } ?? "")
        case let .workflowStarted(kind): kind == .connect ? "Connect started" : "Disconnect started"
        case let .stepStarted(step, subject): "\(step.title)" + (subject.map { " \($0)" } ?? "") + "…"
        case let .stepFinished(step, resource): "\(step.title): done" + (resource.map { " — \($0.summary)" } ?? "")
        case let .stepFailed(step, code, message): "\(step.title) failed: \(code.rawValue) — \(message)"
        case let .keyCreated(keyId): "Created KMS key \(keyId)"
        case let .keyDeleted(keyId): "Deleted KMS key \(keyId) at the end of its waiting period"
        case let .keyStateChanged(keyId, from, to): "Key \(keyId): \(from.rawValue) → \(to.rawValue)"
        case let .worldChanged(description): description
        }
    }
}
