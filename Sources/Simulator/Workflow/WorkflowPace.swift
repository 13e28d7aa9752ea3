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
        // An external key store's connect and disconnect take "about five minutes" at the realistic pace
        // (4 seconds of demo), whatever the connectivity: the VPC steps share that time with the health check.
        case .checkEndpointService: 0.6
        case .createVpcEndpoint: 1.0
        case .createHostedZone: 0.8
        case .checkProxyHealth: 1.6
        case .disconnectFromProxy: 1.6
        case .deleteHostedZone: 1.0
        case .deleteVpcEndpoint: 1.4
        }
        switch self {
        case .instant: return 0
        case .demo: return demo
        case .realistic: return demo * 75
        }
    }

    /// The duration of one step of a store's workflow: a public external key store's single proxy step takes
    /// the whole of the time its VPC sibling spends on four.
    func duration(of step: WorkflowStep, connectivity: XKSProxyConnectivity?) -> TimeInterval {
        guard connectivity == .publicEndpoint, step == .checkProxyHealth || step == .disconnectFromProxy else {
            return duration(of: step)
        }
        return duration(of: step) * 2.5
    }

    /// How long after a process (the console) opens the world it makes its first `KmsHealthCheck` probe (of a store never probed,
    /// like a seeded demo store, or one whose probe fell due while no process had the world open), so that opening
    /// the console or following a workflow is not slowed by the embedded proxy starting for it.
    public var firstHealthProbeDelay: TimeInterval {
        self == .instant ? 0 : 2
    }

    /// How often KMS probes a CONNECTED external key store's proxy (`KmsHealthCheck`): "every few minutes".
    public var healthProbeInterval: TimeInterval {
        switch self {
        case .instant, .realistic: 300
        case .demo: 30
        }
    }
}
