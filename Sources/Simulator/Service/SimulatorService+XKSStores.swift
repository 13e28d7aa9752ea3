import Foundation
import GRDB
import KeyStoreEngine

/// CreateCustomKeyStore and UpdateCustomKeyStore for external key stores (XKS spec sections 1.1-1.6 and 9).
/// A call that contacts the proxy checks in a snapshot, calls with no transaction open, then checks again
/// in the write that applies it.
extension SimulatorService {
    func createExternalKeyStore(name: String, _ settings: XKSProxySettings) async throws(KMSError) -> String {
        try KeyStoreValidation.validateName(name)
        try KeyStoreValidation.validate(settings)
        enum Plan: Sendable { case existing(String), create(ProxyHealthRequest?) }
        let plan: Plan = try await read { tx in
            if let existing = try Self.idempotentMatch(name: name, settings, tx: tx) { return .existing(existing) }
            try Self.checkNewExternalStore(name: name, settings, tx: tx)
            // KMS tests a public proxy before it creates the store; a VPC store's proxy is reached only at connect.
            guard settings.connectivity == .publicEndpoint else { return .create(nil) }
            return .create(try tx.healthRequest(for: settings, kmsOperation: "CreateCustomKeyStore"))
        }
        let request: ProxyHealthRequest?
        switch plan {
        case let .existing(id): return id
        case let .create(health): request = health
        }
        var call: ProxyHealthCall?
        if let request { call = await xksNetwork.checkHealth(request, at: clock.now()) }
        if let error = call?.keyStoreError { throw error }
        let answer = call?.health
        return try await write { tx in
            if let existing = try Self.idempotentMatch(name: name, settings, tx: tx) { return existing }
            try Self.checkNewExternalStore(name: name, settings, tx: tx)
            var store = KeyStoreRecord(id: Identifier.keyStore(), name: name, type: .externalKeyStore, clusterId: nil,
                                       trustAnchor: nil, password: "", state: .disconnected, errorCode: nil, createdAt: tx.now)
            store.setXKS(settings, defaultOwner: try tx.info().accountId)
            try store.insert(tx.db)
            try tx.record(.keyStoreCreated(name: store.name), keyStoreId: store.id)
            if let health = answer {
                try XKSHealthRecord(keyStoreId: store.id, health: health, nextProbeAt: nil).save(tx.db)
            }
            return store.id
        }
    }

    /// The ID of a DISCONNECTED store with this name and exactly these settings: CreateCustomKeyStore repeated.
    private static func idempotentMatch(name: String, _ settings: XKSProxySettings, tx: WorldTransaction) throws -> String? {
        guard let existing = try tx.keyStore(named: name), existing.type == .externalKeyStore, existing.state == .disconnected,
              let held = existing.xksSettings else { return nil }
        let owner = try tx.info().accountId
        let wanted = settings.configuration(defaultOwner: owner)
        guard held.configuration(defaultOwner: owner) == wanted, held.credential == settings.credential else { return nil }
        return existing.id
    }

    private static func checkNewExternalStore(name: String, _ settings: XKSProxySettings, tx: WorldTransaction) throws {
        if try tx.keyStore(named: name) != nil {
            throw KMSError(.customKeyStoreNameInUse, "A custom key store named \(name) already exists. Choose another name.")
        }
        let checks = XKSStoreChecks(tx: tx)
        try checks.requireQuota()
        try checks.requireUnique(settings, except: nil)
        try checks.requireUsableEndpointService(settings)
    }

    func updateExternalKeyStore(_ request: UpdateKeyStoreRequest) async throws(KMSError) {
        if request.touchesCloudHSMSettings {
            throw KMSError(.validation, "KeyStorePassword and CloudHsmClusterId apply only to AWS CloudHSM key stores; custom key store \(request.customKeyStoreId) is an external key store. Change its proxy settings (XksProxy*) instead.")
        }
        try KeyStoreValidation.validateProxyFields(of: request)
        let probe: ProxyHealthRequest? = try await read { tx in
            let (store, settings) = try Self.checkedUpdate(request, tx: tx)
            // The proxy is asked with the new values when they change how KMS reaches or signs for it, and KMS
            // can reach it: a public proxy, or a VPC one through the endpoint of a connected store.
            guard Self.changesProxyAccess(request, of: store),
                  settings.connectivity == .publicEndpoint || store.state == .connected else { return nil }
            return try tx.healthRequest(for: settings, kmsOperation: "UpdateCustomKeyStore")
        }
        var call: ProxyHealthCall?
        if let probe { call = await xksNetwork.checkHealth(probe, at: clock.now()) }
        if let error = call?.keyStoreError { throw error }
        let answer = call?.health
        try await write { tx in
            var (store, settings) = try Self.checkedUpdate(request, tx: tx)
            var changes: [String] = []
            if let name = request.newName, name != store.name {
                changes.append("name \(store.name) → \(name)")
                store.name = name
            }
            let before = store.xksProxyConfiguration
            let oldCredential = store.xksCredential
            store.setXKS(settings, defaultOwner: try tx.info().accountId)
            changes += Self.describeChanges(from: before, to: store.xksProxyConfiguration,
                                            credentialChanged: oldCredential != store.xksCredential)
            try store.update(tx.db)
            try tx.record(.keyStoreUpdated(changes: changes.isEmpty ? ["nothing changed"] : changes), keyStoreId: store.id)
            if let health = answer {
                var record = try XKSHealthRecord.fetchOne(tx.db, key: store.id)
                let next = record?.nextProbeAt
                record = XKSHealthRecord(keyStoreId: store.id, health: health, nextProbeAt: next)
                try record?.save(tx.db)
            }
        }
    }

    /// The store and its settings after the update, once every rule allows it.
    private static func checkedUpdate(_ request: UpdateKeyStoreRequest, tx: WorldTransaction) throws -> (KeyStoreRecord, XKSProxySettings) {
        let store = try tx.requireKeyStore(id: request.customKeyStoreId)
        guard store.type == .externalKeyStore, var settings = store.xksSettings else {
            throw KMSError(.kmsInternal, "External key store \(store.id) has no proxy settings in the world file.")
        }
        if case let .denied(_, error) = KeyStoreRules.verdict(for: request.action, on: store.keyStore) { throw error }
        if let name = request.newName, name != store.name, try tx.keyStore(named: name) != nil {
            throw KMSError(.customKeyStoreNameInUse, "A custom key store named \(name) already exists. Choose another name.")
        }
        if let connectivity = request.xksProxyConnectivity { settings.connectivity = connectivity }
        if let endpoint = request.xksProxyUriEndpoint { settings.uriEndpoint = endpoint }
        if let path = request.xksProxyUriPath { settings.uriPath = path }
        if let credential = request.xksProxyCredential { settings.credential = credential }
        if let service = request.xksProxyVpcEndpointServiceName {
            settings.vpcEndpointServiceName = service.isEmpty ? nil : service
        }
        if let owner = request.xksProxyVpcEndpointServiceOwner { settings.vpcEndpointServiceOwner = owner }
        if settings.connectivity == .publicEndpoint {
            if request.xksProxyVpcEndpointServiceOwner != nil {
                throw KMSError(.validation, "XksProxyVpcEndpointServiceOwner is valid only for a VPC_ENDPOINT_SERVICE store; \(store.id) uses PUBLIC_ENDPOINT.")
            }
            if request.xksProxyVpcEndpointServiceName.map({ !$0.isEmpty }) == true {
                throw KMSError(.validation, "XksProxyVpcEndpointServiceName is valid only for a VPC_ENDPOINT_SERVICE store; \(store.id) uses PUBLIC_ENDPOINT.")
            }
            settings.vpcEndpointServiceName = nil
            settings.vpcEndpointServiceOwner = nil
        } else if (settings.vpcEndpointServiceName ?? "").isEmpty {
            throw KMSError(.validation, "A VPC_ENDPOINT_SERVICE store needs XksProxyVpcEndpointServiceName; an empty one removes it. Give the name of your proxy's VPC endpoint service, or switch to PUBLIC_ENDPOINT.")
        }
        let checks = XKSStoreChecks(tx: tx)
        try checks.requireUnique(settings, except: store.id)
        if request.xksProxyVpcEndpointServiceName != nil || request.xksProxyConnectivity != nil {
            try checks.requireUsableEndpointService(settings)
        }
        return (store, settings)
    }

    private static func changesProxyAccess(_ request: UpdateKeyStoreRequest, of store: KeyStoreRecord) -> Bool {
        request.xksProxyConnectivity != nil || request.xksProxyUriEndpoint != nil || request.xksProxyUriPath != nil
            || request.xksProxyCredential != nil
    }

    private static func describeChanges(from old: XKSProxyConfiguration?, to new: XKSProxyConfiguration?,
                                        credentialChanged: Bool) -> [String] {
        guard let old, let new else { return [] }
        var changes: [String] = []
        if old.connectivity != new.connectivity { changes.append("connectivity \(old.connectivity.rawValue) → \(new.connectivity.rawValue)") }
        if old.uriEndpoint != new.uriEndpoint { changes.append("URI endpoint \(old.uriEndpoint) → \(new.uriEndpoint)") }
        if old.uriPath != new.uriPath { changes.append("URI path \(old.uriPath) → \(new.uriPath)") }
        if credentialChanged { changes.append("proxy credential \(old.accessKeyId) → \(new.accessKeyId)") }
        if old.vpcEndpointServiceName != new.vpcEndpointServiceName {
            changes.append("VPC endpoint service \(old.vpcEndpointServiceName ?? "-") → \(new.vpcEndpointServiceName ?? "-")")
        }
        if old.vpcEndpointServiceOwner != new.vpcEndpointServiceOwner, new.vpcEndpointServiceOwner != nil {
            changes.append("VPC endpoint service owner \(old.vpcEndpointServiceOwner ?? "-") → \(new.vpcEndpointServiceOwner ?? "-")")
        }
        return changes
    }
}
