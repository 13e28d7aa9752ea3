import Foundation
import GRDB
import KeyStoreEngine
import XKS
import XKSClient

/// Keys in external key stores: CreateKey with an XksKeyId (GetKeyMetadata first, KMS's refusals), and the
/// double encryption of Encrypt, Decrypt and GenerateDataKey (the simulator's own layer, then the proxy's;
/// `XKSCiphertextBlob`). Every proxy call runs outside any transaction, with the store's settings read first.
extension SimulatorService {
    /// CreateKey with `Origin` EXTERNAL_KEY_STORE when `xksKeyId` is given; without one it is
    /// `createKey(inKeyStore:description:)`, which refuses an external key store (KMS requires the XksKeyId).
    public func createKey(inKeyStore id: String?, description: String, xksKeyId: String?) async throws(KMSError) -> KMSKey {
        guard let xksKeyId else { return try await createKey(inKeyStore: id, description: description) }
        try KeyStoreValidation.validateXksKeyId(xksKeyId, field: "XksKeyId")
        guard let id else {
            throw KMSError(.validation, "XksKeyId is only valid with Origin EXTERNAL_KEY_STORE and the CustomKeyStoreId of an external key store: give the store.")
        }
        try KeyStoreValidation.validateKeyStoreId(id)
        let (target, principal) = try await read { tx in
            let store = try tx.requireExternalStore(id: id, forXksKeyId: xksKeyId)
            return (try tx.xksTarget(of: store), try tx.principalArn())
        }
        let metadata = XKSRequestMetadata(kmsRequestId: Self.kmsRequestId(), kmsOperation: "CreateKey", awsPrincipalArn: principal)
        let answer = await callProxy(target) { client, address in
            await client.getKeyMetadata(at: address, uriPath: target.uriPath, credential: target.credential, keyId: xksKeyId,
                                        metadata: metadata)
        }
        switch answer {
        case let .failure(failure): throw failure.createKeyError()
        case let .success(answer): if let refusal = answer.invalidConfigurationError() { throw refusal }
        }
        return try await write { tx in
            // The store may have changed during the call: the same checks again, in the transaction that inserts.
            let store = try tx.requireExternalStore(id: id, forXksKeyId: xksKeyId)
            let key = try tx.insertKey(storeId: store.id, clusterId: nil, description: description, xksKeyId: xksKeyId)
            return try tx.keyView(key)
        }
    }

    /// The simulator's layer, then the proxy's: the blob of `plaintext` under an external key store's key.
    func xksSeal(_ plaintext: Data, key: KMSKey, material: Data, context: [String: String], operation: String) async throws(KMSError) -> Data {
        let (target, principal, xksKeyId) = try await xksCallTarget(for: key)
        let inner = try XKSCiphertextBlob.innerLayer(plaintext, keyId: key.id, material: material, context: context)
        let metadata = XKSRequestMetadata(kmsRequestId: Self.kmsRequestId(), kmsOperation: operation, awsPrincipalArn: principal,
                                          kmsKeyArn: key.arn)
        let aad = XKSCiphertextBlob.proxyAAD(keyArn: key.arn, context: context)
        let sealed = await callProxy(target) { client, address in
            await client.encrypt(at: address, uriPath: target.uriPath, credential: target.credential, keyId: xksKeyId,
                                 plaintext: inner, aad: aad, metadata: metadata)
        }
        switch sealed {
        case let .failure(failure): throw failure.cryptoError()
        case let .success(outer): return XKSCiphertextBlob.assemble(keyId: key.id, outer: outer)
        }
    }

    /// The proxy's layer off, then the simulator's: the plaintext of a double-encrypted blob.
    func xksOpen(_ blob: Data, key: KMSKey, material: Data, context: [String: String], operation: String) async throws(KMSError) -> Data {
        let parts = try XKSCiphertextBlob.parse(blob)
        let (target, principal, xksKeyId) = try await xksCallTarget(for: key)
        let metadata = XKSRequestMetadata(kmsRequestId: Self.kmsRequestId(), kmsOperation: operation, awsPrincipalArn: principal,
                                          kmsKeyArn: key.arn)
        let aad = XKSCiphertextBlob.proxyAAD(keyArn: key.arn, context: context)
        let opened = await callProxy(target) { client, address in
            await client.decrypt(at: address, uriPath: target.uriPath, credential: target.credential, keyId: xksKeyId,
                                 answer: parts.outer, aad: aad, metadata: metadata)
        }
        switch opened {
        case let .failure(failure): throw failure.cryptoError()
        case let .success(inner): return try XKSCiphertextBlob.openInnerLayer(inner, keyId: key.id, material: material, context: context)
        }
    }

    private func xksCallTarget(for key: KMSKey) async throws(KMSError) -> (ProxyHealthRequest, String, String) {
        guard let storeId = key.customKeyStoreId, let xksKeyId = key.xksKeyId else {
            throw KMSError(.kmsInternal, "\(key.arn) is not a key in an external key store.")
        }
        return try await read { tx in
            let store = try tx.requireKeyStore(id: storeId)
            return (try tx.xksTarget(of: store), try tx.principalArn(), xksKeyId)
        }
    }

    /// One call to the proxy `target` names: its route (the embedded proxy started if need be), then the client.
    func callProxy<T>(
        _ target: ProxyHealthRequest, _ body: (XKSProxyClient, XKSProxyAddress) async -> Result<T, XKSCallFailure>
    ) async -> Result<T, XKSCallFailure> {
        switch (await xksNetwork.address(for: target), xksNetwork.proxyClient()) {
        case let (.success(address), .success(client)): await body(client, address)
        case let (.failure(failure), _), let (_, .failure(failure)): .failure(failure)
        }
    }

    /// A UUID, as KMS's request IDs are.
    static func kmsRequestId() -> String { UUID().uuidString.lowercased() }
}

/// CreateKey's refusals that concern the XksKeyId.
enum XKSKeyErrors {
    static func xksKeyIdRequired(storeId: String) -> KMSError {
        KMSError(.validation, "Custom key store \(storeId) is an external key store: CreateKey needs Origin EXTERNAL_KEY_STORE and the XksKeyId of the external key that backs the new KMS key.")
    }
}

extension WorldTransaction {
    /// The external key store `id`, CONNECTED, with no key bound to `xksKeyId` yet (KMS's CreateKey checks).
    func requireExternalStore(id: String, forXksKeyId xksKeyId: String) throws -> KeyStoreRecord {
        let store = try requireKeyStore(id: id)
        guard store.type == .externalKeyStore else {
            throw KMSError(.validation, "Custom key store \(id) is an AWS CloudHSM key store: XksKeyId is only valid with Origin EXTERNAL_KEY_STORE in an external key store. Leave XksKeyId out to create the key in the CloudHSM store.")
        }
        if case let .denied(_, error) = KeyStoreRules.verdict(for: .createKey, on: store.keyStore) { throw error }
        let statement = try db.cachedStatement(sql: "SELECT arn FROM kms_keys WHERE key_store_id = ? AND xks_key_id = ?")
        if let arn = try String.fetchOne(statement, arguments: [id, xksKeyId]) {
            throw KMSError(.xksKeyAlreadyInUse, "The external key \(xksKeyId) is already associated with \(arn) in custom key store \(id). Each KMS key in an external key store needs a different external key: give another XksKeyId.")
        }
        return store
    }

    /// What a proxy call for a key of `store` needs: where to dial and how to sign.
    func xksTarget(of store: KeyStoreRecord) throws -> ProxyHealthRequest {
        guard let settings = store.xksSettings else {
            throw KMSError(.kmsInternal, "Custom key store \(store.id) has no proxy settings.")
        }
        return try healthRequest(for: settings, kmsOperation: "")
    }

    /// The principal KMS names in requestMetadata: the world account's root (the simulator has one caller).
    func principalArn() throws -> String {
        "arn:aws:iam::\(try info().accountId):root"
    }
}
