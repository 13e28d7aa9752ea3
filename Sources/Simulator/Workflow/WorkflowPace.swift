import Foundation
import KeyStoreEngine

/// How long each workflow step takes in the simulator.
public enum WorkflowPace: String, Sendable, CaseIterable, Codable {
    /// Every step at once (tests).
    case instant
    /// About 8 seconds for a whole connect: enough to watch it happen.
    case demo
    /// Minutes, like KMS (a connect of about 10 minutes; KMS documents up to 20).
    case realistic

    public static let `default` = WorkflowPace.demo

    /// The duration of one step.
    public func duration(of step: WorkflowStep) -> TimeInterval {
        let demo: TimeInterval = switch step {
        case .locateCluster: 0.8
        case .checkHSMs: 0.6
        case .createSecurityGroup: 0.9
        case .createNetworkInterface: 1.1
        case .connectToCluster: 1.4
        case .logInKmsUser: 0.9
        case .rotatePassword: 0.8
        case .logOutKmsUser: 0.4
        case .disconnectFromCluster: 0.5
        case .deleteNetworkInterface: 0.4
        case .deleteSecurityGroup: 0.4
        }
        switch self {
        case .instant: return 0
        case .demo: return demo
        case .realistic: return demo * 75
        }
    }
}
