import Foundation

/// How long a store has been CONNECTING or DISCONNECTING, as far as this session knows, against the time
/// AWS documents: a CloudHSM connect takes "up to 20 minutes", an external key store "about five minutes".
public struct TransitionProgress: Sendable, Hashable {
    /// How exactly `startedAt` is known.
    public enum Precision: String, Sendable, Hashable {
        /// This session sent the request that KMS accepted.
        case accepted
        /// A poll first showed it; it began at most one poll interval earlier.
        case observed
        /// It was already under way when this session first looked; it began earlier, by an unknown time.
        case alreadyUnderWay
    }

    public var keyStoreId: String
    public var state: ConnectionState
    public var startedAt: Date
    public var precision: Precision
    /// The documented upper bound of the transition, when AWS documents one.
    public var documentedDuration: TimeInterval?

    public init(keyStoreId: String, state: ConnectionState, startedAt: Date, precision: Precision, documentedDuration: TimeInterval?) {
        self.keyStoreId = keyStoreId
        self.state = state
        self.startedAt = startedAt
        self.precision = precision
        self.documentedDuration = documentedDuration
    }

    /// "Up to 20 minutes" for a CloudHSM connect.
    public static let cloudHSMConnectDuration: TimeInterval = 20 * 60
    /// "About five minutes" for an external key store's connect or disconnect.
    public static let externalKeyStoreDuration: TimeInterval = 5 * 60

    /// The documented bound for a store type and transient state (none for a CloudHSM disconnect).
    public static func documentedDuration(for type: CustomKeyStoreType, state: ConnectionState) -> TimeInterval? {
        switch (type, state) {
        case (.awsCloudHSM, .connecting): cloudHSMConnectDuration
        case (.externalKeyStore, .connecting), (.externalKeyStore, .disconnecting): externalKeyStoreDuration
        default: nil
        }
    }

    public func elapsed(at now: Date) -> TimeInterval {
        max(0, now.timeIntervalSince(startedAt))
    }

    /// Elapsed time as a fraction of the documented duration, at most 1; nil without a documented duration.
    public func fractionOfDocumentedDuration(at now: Date) -> Double? {
        documentedDuration.map { min(1, elapsed(at: now) / $0) }
    }

    /// True once the documented duration has passed (worth telling the user: something may be wrong).
    public func isOverdue(at now: Date) -> Bool {
        documentedDuration.map { elapsed(at: now) > $0 } ?? false
    }

    /// `3m 05s of up to 20m` (with `≥` when the start is a lower bound).
    public func summary(at now: Date) -> String {
        let prefix = precision == .alreadyUnderWay ? "≥" : ""
        let text = prefix + ElapsedTime.text(elapsed(at: now))
        guard let documentedDuration else { return text }
        return text + " of up to \(Int(documentedDuration / 60))m"
    }
}
