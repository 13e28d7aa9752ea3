import Foundation
@testable import Console
import KeyStoreEngine

/// Three external key stores beside the CloudHSM fixtures: one CONNECTED on a public endpoint with keys, one
/// DISCONNECTED through a VPC endpoint service, one FAILED with a wrong URI path.
extension Fixtures {
    static let ledgerId = "cks-7a8b9c0d1e2f3a4b5"
    static let vaultId = "cks-8b9c0d1e2f3a4b5c6"
    static let partnerId = "cks-9c0d1e2f3a4b5c6d7"
    static let accessKeyId = "BE4VRXM7IG6FQZAQ2GQA"
    static let secret = "wJalrXUtnFEMIK7MDENGbPxRfiCYzEXAMPLEKEY0000"

    static let externalStores: [CustomKeyStore] = [
        CustomKeyStore(id: ledgerId, name: "xks-ledger", type: .externalKeyStore, cloudHsmClusterId: nil, trustAnchorCertificate: nil,
                       xksProxyConfiguration: XKSProxyConfiguration(connectivity: .publicEndpoint, accessKeyId: accessKeyId,
                                                                    uriEndpoint: "https://xks.ledger.example.com", uriPath: "/ledger/kms/xks/v1"),
                       connectionState: .connected, creationDate: day(90)),
        CustomKeyStore(id: vaultId, name: "xks-vault", type: .externalKeyStore, cloudHsmClusterId: nil, trustAnchorCertificate: nil,
                       xksProxyConfiguration: XKSProxyConfiguration(
                           connectivity: .vpcEndpointService, accessKeyId: accessKeyId, uriEndpoint: "https://xks.vault.internal",
                           uriPath: "/kms/xks/v1", vpcEndpointServiceName: "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0",
                           vpcEndpointServiceOwner: "111122223333"),
                       connectionState: .disconnected, creationDate: day(60)),
        CustomKeyStore(id: partnerId, name: "xks-partner", type: .externalKeyStore, cloudHsmClusterId: nil, trustAnchorCertificate: nil,
                       xksProxyConfiguration: XKSProxyConfiguration(connectivity: .publicEndpoint, accessKeyId: accessKeyId,
                                                                    uriEndpoint: "https://xks.partner.example.com", uriPath: "/wrong/kms/xks/v1"),
                       connectionState: .failed, connectionErrorCode: .xksProxyInvalidConfiguration, creationDate: day(30)),
    ]

    static let externalKeys: [String: [KMSKey]] = [
        ledgerId: [
            KMSKey(id: "5555aaaa-bbbb-4ccc-8ddd-000000000005", arn: "arn:aws:kms:us-east-1:111122223333:key/5555aaaa-bbbb-4ccc-8ddd-000000000005",
                   customKeyStoreId: ledgerId, cloudHsmClusterId: nil, description: "ledger rows", keyState: .enabled,
                   creationDate: day(80), lastUsage: KeyUsage(operation: "Encrypt", time: now.addingTimeInterval(-60)), xksKeyId: "ledger-key-1"),
        ],
        vaultId: [],
        partnerId: [],
    ]

    static let health = XKSProxyHealth(
        checkedAt: now.addingTimeInterval(-120), kmsOperation: "KmsHealthCheck", latency: 0.0042,
        outcome: .answered(.init(xksProxyFleetSize: 2, xksProxyVendor: "cks", xksProxyModel: "xks-proxy 1.0", ekmVendor: "cks key manager",
                                 ekmFleetDetails: [.init(id: "ekm-1", model: "SoftKM", healthStatus: "ACTIVE"),
                                                   .init(id: "ekm-2", model: "SoftKM", healthStatus: "DEGRADED")])))

    static let proxyRequests: [XKSProxyRequestRecord] = [
        .init(time: now.addingTimeInterval(-60), operation: "encrypt", kmsOperation: "Encrypt", kmsRequestId: "req-2", httpStatus: 200,
              errorName: nil, latency: 0.0031),
        .init(time: now.addingTimeInterval(-120), operation: "health", kmsOperation: "KmsHealthCheck", kmsRequestId: "req-1",
              httpStatus: 200, errorName: nil, latency: 0.0042),
    ]

    /// The fixtures with the external key stores too, loaded.
    static func loadedWithExternal(size: Size = Size(width: 120, height: 36), readOnly: Bool = false) -> AppState {
        var state = AppState(backend: backend, readOnly: readOnly, timeZone: utc, size: size, now: now)
        _ = reduce(&state, .eventsFollowed(after: 0))
        _ = reduce(&state, .storesLoaded(stores + externalStores))
        _ = reduce(&state, .clustersLoaded(clusters))
        return state
    }
}
