import KeyStoreEngine

/// Every operation the endpoint answers, on one backend type: the target of a request picks the operation.
struct OperationRouter<Service: KMSEndpointService>: Sendable {
    let context: OperationContext<Service>

    func run(_ target: Target, _ fields: inout RequestFields) async throws(ServiceError) -> JSONValue {
        switch target {
        case let .kms(operation): return try await run(operation, &fields)
        case .cloudHSM(.describeClusters): return try await ClusterOperations(context: context).describe(&fields)
        }
    }

    private func run(_ operation: KMSOperation, _ fields: inout RequestFields) async throws(ServiceError) -> JSONValue {
        let stores = CustomKeyStoreOperations(context: context)
        let keys = KeyOperations(context: context)
        let crypto = CryptoOperations(context: context)
        switch operation {
        case .createCustomKeyStore: return try await stores.create(&fields)
        case .connectCustomKeyStore: return try await stores.connect(&fields)
        case .disconnectCustomKeyStore: return try await stores.disconnect(&fields)
        case .describeCustomKeyStores: return try await stores.describe(&fields)
        case .updateCustomKeyStore: return try await stores.update(&fields)
        case .deleteCustomKeyStore: return try await stores.delete(&fields)
        case .createKey: return try await keys.create(&fields)
        case .describeKey: return try await keys.describe(&fields)
        case .listKeys: return try await keys.list(&fields)
        case .enableKey: return try await keys.enable(&fields)
        case .disableKey: return try await keys.disable(&fields)
        case .scheduleKeyDeletion: return try await keys.scheduleDeletion(&fields)
        case .cancelKeyDeletion: return try await keys.cancelDeletion(&fields)
        case .encrypt: return try await crypto.encrypt(&fields)
        case .decrypt: return try await crypto.decrypt(&fields)
        case .generateDataKey: return try await crypto.generateDataKey(&fields)
        case .generateDataKeyWithoutPlaintext: return try await crypto.generateDataKey(&fields, withoutPlaintext: true)
        case .generateRandom: return try await crypto.generateRandom(&fields)
        }
    }
}
