import Foundation
import KeyStoreEngine

/// Which changes of connection state may appear in a store's history, derived from the engine's rules table:
/// a store enters CONNECTING or DISCONNECTING only from a state whose Connect or Disconnect is allowed, and
/// leaves a transient state only to where its workflow ends (CONNECTED or FAILED; DISCONNECTED).
public enum ConnectionTransitions {
    public static func isLegal(from: ConnectionState, to: ConnectionState) -> Bool {
        switch to {
        case .connecting: verdict(.connect, from).isAllowed
        case .disconnecting: verdict(.disconnect, from).isAllowed
        case .connected, .failed: from == .connecting
        case .disconnected: from == .disconnecting
        }
    }

    private static func verdict(_ action: KeyStoreAction, _ state: ConnectionState) -> RuleVerdict {
        let store = CustomKeyStore(id: "cks-0000000000000000", name: "transition", cloudHsmClusterId: "cluster-0000000000",
                                   trustAnchorCertificate: nil, connectionState: state,
                                   connectionErrorCode: state == .failed ? .internalError : nil, creationDate: Date())
        return KeyStoreRules.verdict(for: action, on: store)
    }
}
