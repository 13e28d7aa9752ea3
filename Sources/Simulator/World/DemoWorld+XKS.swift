import Foundation
import GRDB
import KeyStoreEngine
import XKS
import XKSProxy

extension DemoWorld {
    /// An external key store of the demo world, and the logical key store its proxy (the embedded one) holds.
    struct ExternalKeyStore: Sendable, Decodable {
        struct Key: Sendable, Decodable {
            var description: String
            var xksKeyId: String
            var state: KeyState
            var createdDaysAgo: Double
            var usage: [KeyStore.Key.Use]
        }
        var id: String
        var name: String
        var connectivity: XKSProxyConnectivity
        var host: String
        var uriPathPrefix: String
        var accessKeyId: String
        var secretAccessKey: String
        var vpcEndpointServiceName: String?
        /// Whether the world routes `host` to the embedded proxy (a FAILED store's host may lack its route).
        var routed: Bool
        var state: ConnectionState
        var errorCode: ConnectionErrorCode?
        var createdDaysAgo: Double
        var lastChangeMinutesAgo: Double
        var keys: [Key]

        var settings: XKSProxySettings {
            XKSProxySettings(connectivity: connectivity, uriEndpoint: "https://\(host)", uriPath: uriPathPrefix + "/kms/xks/v1",
                             credential: XKSProxyCredential(accessKeyId: accessKeyId, rawSecretAccessKey: secretAccessKey),
                             vpcEndpointServiceName: vpcEndpointServiceName)
        }
    }

    func seedExternal(_ store: ExternalKeyStore, tx: WorldTransaction, info: WorldInfoRecord) throws {
        var ids = StableIdentifiers(seed: store.id)
        let created = tx.now.addingTimeInterval(-store.createdDaysAgo * 86_400)
        let changed = tx.now.addingTimeInterval(-store.lastChangeMinutesAgo * 60)
        var record = KeyStoreRecord(id: store.id, name: store.name, type: .externalKeyStore, clusterId: nil, trustAnchor: nil,
                                    password: "", state: .disconnected, errorCode: nil, createdAt: created)
        record.setXKS(store.settings, defaultOwner: info.accountId)
        try record.insert(tx.db)
        try tx.record(.keyStoreCreated(name: store.name), keyStoreId: store.id, at: created)
        for key in store.keys {
            let keyId = ids.uuid()
            var record = KeyRecord(id: keyId, arn: "arn:aws:kms:\(info.region):\(info.accountId):key/\(keyId)",
                                   keyStoreId: store.id, clusterId: nil, description: key.description, ownState: key.state,
                                   createdAt: tx.now.addingTimeInterval(-key.createdDaysAgo * 86_400), deletionDate: nil,
                                   keyMaterial: Data((0..<32).map { _ in UInt8.random(in: 0...255) }))
            record.xksKeyId = key.xksKeyId
            try record.insert(tx.db)
            for use in key.usage {
                try KeyUsageRecord(id: nil, keyId: keyId, operation: use.operation,
                                   time: tx.now.addingTimeInterval(-use.minutesAgo * 60)).insert(tx.db)
            }
        }
        if store.routed {
            try XKSRouteRecord(host: store.host.lowercased(), target: XKSRouteTarget.embedded.description).save(tx.db)
        }
        guard store.state != .disconnected else { return }

        // The last connect, as it happened.
        try tx.record(.workflowStarted(.connect), keyStoreId: store.id, at: changed)
        try tx.setConnectionState(&record, to: .connecting, at: changed)
        switch store.state {
        case .connected:
            if store.connectivity == .vpcEndpointService {
                try XKSVpcResourceRecord(id: "vpce-" + ids.hex(17), keyStoreId: store.id, kind: .vpcEndpoint,
                                         name: store.vpcEndpointServiceName ?? "").insert(tx.db)
                try XKSVpcResourceRecord(id: "Z" + ids.base32(20).uppercased(), keyStoreId: store.id, kind: .hostedZone,
                                         name: store.host).insert(tx.db)
            }
            try tx.record(.stepFinished(.checkProxyHealth, resource: StepResource(id: store.host)), keyStoreId: store.id,
                          at: changed.addingTimeInterval(4))
            try tx.setConnectionState(&record, to: .connected, at: changed.addingTimeInterval(4))
        case .failed:
            let code = store.errorCode ?? .internalError
            // The words a connect records for the cause, where the demo's data names it (an unrouted host).
            let message = !store.routed && code == .xksProxyNotReachable
                ? XKSNetwork.noRoute(to: store.host).description
                : TroubleshootingCatalogue.standard.entry(for: code)?.title ?? code.rawValue
            try tx.record(.stepFailed(.checkProxyHealth, errorCode: code, message: message), keyStoreId: store.id,
                          at: changed.addingTimeInterval(4))
            try tx.setConnectionState(&record, to: .failed, errorCode: code, at: changed.addingTimeInterval(4))
        default:
            break
        }
    }

    /// Gives the embedded proxy (`$CKS_HOME/xks-proxy`) the logical key stores and external keys of the demo's
    /// external key stores, with the same credentials, unless it has them already. A proxy the user made keeps
    /// everything it has; a prefix or access key it already uses for something else is left alone.
    func prepareEmbeddedProxy(home: URL, now: Date) {
        guard let stores = externalKeyStores, !stores.isEmpty else { return }
        let isNew = !ProxyDatabase.exists(home: home)
        guard let proxy = try? ProxyDatabase.open(home: home, create: true) else { return }
        defer { proxy.close() }
        if isNew { try? proxy.setSetting("region", region) }
        for store in stores {
            let credential = ProxyCredential(accessKeyId: store.accessKeyId, secretAccessKey: store.secretAccessKey,
                                             createdAt: now.addingTimeInterval(-store.createdDaysAgo * 86_400))
            if (try? proxy.snapshot().stores[store.uriPathPrefix]) == nil {
                guard (try? proxy.addKeyStore(prefix: store.uriPathPrefix, credential: credential)) != nil else { continue }
            }
            let existing = (try? proxy.snapshot().keys[store.uriPathPrefix]) ?? [:]
            for key in store.keys where existing[key.xksKeyId] == nil {
                try? proxy.createKey(prefix: store.uriPathPrefix, id: key.xksKeyId, usages: [.encrypt, .decrypt, .wrap, .unwrap],
                                     now: now.addingTimeInterval(-key.createdDaysAgo * 86_400))
            }
        }
    }
}
