import Foundation
@testable import Console
import KeyStoreEngine

/// A small world for tests: six stores in every state, their clusters and keys, at a fixed time.
enum Fixtures {
    /// 2026-11-29 12:00:00 UTC
    static let now = Date(timeIntervalSince1970: 1_795_953_600)
    static let utc = TimeZone(identifier: "UTC")!
    static let backend = BackendDescription(name: "simulator", region: "us-east-1", accountId: "111122223333")

    static let prodId = "cks-1a2b3c4d5e6f70801"
    static let analyticsId = "cks-2b3c4d5e6f7080912"
    static let lockedId = "cks-3c4d5e6f708091a23"
    static let stagingId = "cks-4d5e6f708091a2b34"
    static let legacyId = "cks-5e6f708091a2b3c45"
    static let archiveId = "cks-6f708091a2b3c4d56"

    /// A self-signed customerCA: C=US, O=Example Corp, OU=CloudHSM Team, CN=customerCA,
    /// valid 2026-11-29 21:19:46 to 2036-11-26 21:19:46 UTC.
    static let trustAnchor = """
        -----BEGIN CERTIFICATE-----
        MIIB+DCCAZ2gAwIBAgIUU1ndbg0t+mmaG39fZ6gDW7m0/eEwCgYIKoZIzj0EAwIw
        UTELMAkGA1UEBhMCVVMxFTATBgNVBAoMDEV4YW1wbGUgQ29ycDEWMBQGA1UECwwN
        Q2xvdWRIU00gVGVhbTETMBEGA1UEAwwKY3VzdG9tZXJDQTAeFw0yNjExMjkyMTE5
        NDZaFw0zNjExMjYyMTE5NDZaMFExCzAJBgNVBAYTAlVTMRUwEwYDVQQKDAxFeGFt
        cGxlIENvcnAxFjAUBgNVBAsMDUNsb3VkSFNNIFRlYW0xEzARBgNVBAMMCmN1c3Rv
        bWVyQ0EwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAQw8g0FkAgofx9e5ZS6K1hO
        SeGzTbAjXtoqScEy+WSK/K36ONQZfg5gkMejUtlCWMAIGIbO2pnH6hKdM/rUhrwL
        o1MwUTAdBgNVHQ4EFgQUfRLc4pIKnAOstgVfV1IM73mSo2YwHwYDVR0jBBgwFoAU
        fRLc4pIKnAOstgVfV1IM73mSo2YwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQD
        AgNJADBGAiEAigdF1AIY475+idl0DQM48wxsK/paqxnrLS7KXitbIdECIQCRxbxT
        ukV2rIOCiIvxUYnF7RSu8aBLQmmh86607pHX8w==
        -----END CERTIFICATE-----
        """

    static func day(_ days: Double) -> Date { now.addingTimeInterval(-days * 86_400) }

    static let stores: [CustomKeyStore] = [
        CustomKeyStore(id: prodId, name: "prod-payments", cloudHsmClusterId: "cluster-prod2a3b4c5d", trustAnchorCertificate: trustAnchor,
                       connectionState: .connected, creationDate: day(400)),
        CustomKeyStore(id: analyticsId, name: "analytics", cloudHsmClusterId: "cluster-anal2b3c4d5e", trustAnchorCertificate: trustAnchor,
                       connectionState: .disconnected, creationDate: day(300)),
        CustomKeyStore(id: lockedId, name: "dev-locked", cloudHsmClusterId: "cluster-devl3c4d5e6f", trustAnchorCertificate: trustAnchor,
                       connectionState: .failed, connectionErrorCode: .userLockedOut, creationDate: day(200)),
        CustomKeyStore(id: stagingId, name: "staging", cloudHsmClusterId: "cluster-stag4d5e6f7g", trustAnchorCertificate: trustAnchor,
                       connectionState: .connecting, creationDate: day(100)),
        CustomKeyStore(id: legacyId, name: "legacy-vault", cloudHsmClusterId: "cluster-lega5e6f7g2h", trustAnchorCertificate: trustAnchor,
                       connectionState: .failed, connectionErrorCode: .clusterNotFound, creationDate: day(50)),
        CustomKeyStore(id: archiveId, name: "archive", cloudHsmClusterId: "cluster-arch6f7g2h3i", trustAnchorCertificate: trustAnchor,
                       connectionState: .disconnecting, creationDate: day(10)),
    ]

    static func cluster(_ id: String, zones: [String], hsmState: CloudHSMCluster.HSM.State = .active, free: Int = 12,
                        kmsUser: CloudHSMCluster.CryptoUser? = nil) -> CloudHSMCluster {
        CloudHSMCluster(
            id: id, state: .active, vpcId: "vpc-0abc", securityGroup: "sg-cluster1", hsmType: "hsm2m.medium",
            hsms: zones.enumerated().map { index, zone in
                .init(id: "hsm-\(id.suffix(6))\(index)", availabilityZone: zone, subnetId: "subnet-\(index)a",
                      eniId: "eni-\(index)b", eniIp: "10.0.\(index).5", state: hsmState)
            },
            subnets: zones.enumerated().map { index, zone in
                .init(id: "subnet-\(index)a", availabilityZone: zone, cidrBlock: "10.0.\(index).0/24", freeAddresses: free)
            },
            createTimestamp: day(500), trustAnchorCertificate: trustAnchor, kmsUser: kmsUser
        )
    }

    static let clusters: [CloudHSMCluster] = [
        cluster("cluster-prod2a3b4c5d", zones: ["us-east-1a", "us-east-1b"]),
        cluster("cluster-anal2b3c4d5e", zones: ["us-east-1a", "us-east-1c"]),
        cluster("cluster-devl3c4d5e6f", zones: ["us-east-1a", "us-east-1b"],
                kmsUser: .init(exists: true, lockedOut: true, failedLogins: 5, loggedInElsewhere: false, loggedInByKMS: false)),
        cluster("cluster-stag4d5e6f7g", zones: ["us-east-1b", "us-east-1c"]),
        cluster("cluster-arch6f7g2h3i", zones: ["us-east-1a"]),
        cluster("cluster-free7g2h3i4j", zones: ["us-east-1a", "us-east-1b"]),
    ]

    static func key(_ n: Int, store: String, description: String, state: KeyState, used: (String, Double)?) -> KMSKey {
        let id = "\(n)\(n)\(n)\(n)aaaa-bbbb-4ccc-8ddd-00000000000\(n)"
        return KMSKey(id: id, arn: "arn:aws:kms:us-east-1:111122223333:key/\(id)", customKeyStoreId: store,
                      cloudHsmClusterId: nil, description: description, keyState: state, creationDate: day(Double(300 - n)),
                      lastUsage: used.map { KeyUsage(operation: $0.0, time: now.addingTimeInterval(-$0.1)) })
    }

    static let keys: [String: [KMSKey]] = [
        prodId: [
            key(1, store: prodId, description: "card tokens", state: .enabled, used: ("Decrypt", 180)),
            key(2, store: prodId, description: "settlement files", state: .enabled, used: ("GenerateDataKey", 7_200)),
            key(3, store: prodId, description: "old exports", state: .pendingDeletion, used: nil),
        ],
        analyticsId: [],
        lockedId: [key(4, store: lockedId, description: "dev secrets", state: .unavailable, used: ("Encrypt", 86_400 * 3))],
    ]

    static let awsBackend = BackendDescription(name: "aws", region: "us-east-1", accountId: "111122223333")
    static let awsRegions = ["ap-northeast-1", "eu-central-1", "eu-west-1", "eu-west-2", "us-east-1", "us-west-2"]

    /// The clusters as DescribeClusters gives them on AWS: without their trust anchors.
    static var clustersWithoutAnchors: [CloudHSMCluster] {
        clusters.map { cluster in
            var copy = cluster
            copy.trustAnchorCertificate = nil
            return copy
        }
    }

    /// The fixtures as the AWS backend shows them: Regions to switch to, clusters without trust anchors.
    static func awsState(size: Size = Size(width: 120, height: 36)) -> AppState {
        var state = AppState(backend: awsBackend, regionChoices: awsRegions, timeZone: utc, size: size, now: now)
        _ = reduce(&state, .eventsFollowed(after: 0))
        _ = reduce(&state, .storesLoaded(stores))
        _ = reduce(&state, .clustersLoaded(clustersWithoutAnchors))
        return state
    }

    /// A state with the fixtures loaded, as after the first answers of the engine.
    static func loadedState(size: Size = Size(width: 120, height: 36), readOnly: Bool = false, glyphs: Glyphs = .unicode) -> AppState {
        var state = AppState(backend: backend, readOnly: readOnly, glyphs: glyphs, timeZone: utc, size: size, now: now)
        _ = reduce(&state, .eventsFollowed(after: 0))
        _ = reduce(&state, .storesLoaded(stores))
        _ = reduce(&state, .clustersLoaded(clusters))
        return state
    }
}
