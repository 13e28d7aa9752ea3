import Foundation
import KeyStoreEngine

/// How long a connect or disconnect has run against what AWS documents, as the tray and the detail show it:
/// `3m 05s of up to 20m`, a bar, and what to check once it runs longer than documented.
enum TransitionText {
    /// `≥3m 05s of up to 20m` (`>=` in ASCII), dim, or a warning once overdue.
    static func clock(_ progress: TransitionProgress, now: Date, glyphs: Glyphs) -> StyledLine {
        var text = (progress.precision == .alreadyUnderWay ? glyphs.atLeast : "") + ElapsedTime.text(progress.elapsed(at: now))
        if let documented = progress.documentedDuration { text += " of up to \(Int(documented / 60))m" }
        return StyledLine(text, progress.isOverdue(at: now) ? .warning : .dim)
    }

    /// `████░░░░░░`: the elapsed share of the documented duration; nil without one.
    static func bar(_ progress: TransitionProgress, now: Date, width: Int, glyphs: Glyphs) -> StyledLine? {
        guard let fraction = progress.fractionOfDocumentedDuration(at: now), width > 0 else { return nil }
        let full = min(width, Int((fraction * Double(width)).rounded(.down)))
        let role: StyleRole = progress.isOverdue(at: now) ? .warning : (progress.state == .connecting ? .connecting : .disconnecting)
        return StyledLine(String(repeating: glyphs.barFull, count: full), role)
            + StyledLine(String(repeating: glyphs.barEmpty, count: width - full), .dim)
    }

    /// `20 minutes` for the tray's and the detail's sentences.
    static func documented(_ progress: TransitionProgress) -> String {
        "\(Int((progress.documentedDuration ?? 0) / 60)) minutes"
    }

    /// What to check when a transition runs past its documented duration.
    static func overdueAdvice(_ progress: TransitionProgress, storeType: CustomKeyStoreType?) -> String {
        let verb = progress.state == .connecting ? "connect" : "disconnect"
        let limit = "Longer than the \(documented(progress)) AWS documents for a \(verb): something may be wrong. "
        if storeType == .externalKeyStore {
            return limit + "Check that the external key store proxy answers at its URI endpoint and path and, for VPC "
                + "connectivity, that the VPC endpoint service is available. KMS ends a connect that cannot finish as FAILED "
                + "with a ConnectionErrorCode; to stop waiting, disconnect the store (D) and connect it again."
        }
        return limit + "Check that the cluster is ACTIVE with at least one ACTIVE HSM, that each of its subnets has a free "
            + "IP address, and that its security group keeps its rules (aws cloudhsmv2 describe-clusters). KMS ends a connect "
            + "that cannot finish as FAILED with a ConnectionErrorCode; to stop waiting, disconnect the store (D) and connect it again."
    }
}

extension AppState {
    /// A running workflow's time so far against the documented duration of its store's type.
    func transition(of workflow: WorkflowProgress) -> TransitionProgress {
        workflow.transition(storeType: stores[workflow.storeId]?.type)
    }
}
