import Foundation

/// Something a person or a caller may ask of a KMS key.
public enum KeyAction: String, Sendable, CaseIterable, Hashable {
    case enable
    case disable
    case scheduleDeletion
    case cancelDeletion
}

/// What KMS allows a key in each state (spec section 2): the one table the simulator, the CLI and the
/// console ask. An Unavailable key (its store not CONNECTED) may be enabled, disabled and scheduled for
/// deletion; the new state shows once the store is connected again.
public enum KeyRules {
    /// ScheduleKeyDeletion's waiting period, in days.
    public static let pendingWindowDays = 7...30
    /// The waiting period when none is given.
    public static let defaultPendingWindowDays = 30

    public static func verdict(for action: KeyAction, keyArn arn: String, state: KeyState) -> RuleVerdict {
        switch action {
        case .enable, .disable:
            guard state != .pendingDeletion else {
                return deny("cancel its deletion first", "\(arn) is pending deletion. Cancel the deletion first.")
            }
            return .allowed
        case .scheduleDeletion:
            guard state != .pendingDeletion else { return deny("already pending deletion", "\(arn) is pending deletion.") }
            return .allowed
        case .cancelDeletion:
            guard state == .pendingDeletion else { return deny("not pending deletion", "\(arn) is not pending deletion.") }
            return .allowed
        }
    }

    /// ScheduleKeyDeletion's check of `PendingWindowInDays`, with KMS's ValidationException.
    public static func validatePendingWindow(_ days: Int) throws(KMSError) {
        guard pendingWindowDays.contains(days) else {
            throw KMSError(.validation, "1 validation error detected: Value '\(days)' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value between \(pendingWindowDays.lowerBound) and \(pendingWindowDays.upperBound).")
        }
    }

    private static func deny(_ reason: String, _ message: String) -> RuleVerdict {
        .denied(reason: reason, error: KMSError(.kmsInvalidState, message))
    }
}
