import Foundation

/// The state of a KMS key (`KeyState` in KeyMetadata).
public enum KeyState: String, Sendable, Codable, CaseIterable, Hashable {
    case creating = "Creating"
    case enabled = "Enabled"
    case disabled = "Disabled"
    case pendingDeletion = "PendingDeletion"
    case pendingImport = "PendingImport"
    case pendingReplicaDeletion = "PendingReplicaDeletion"
    case unavailable = "Unavailable"
    case updating = "Updating"
}

/// Where a KMS key's material comes from (`Origin` in KeyMetadata).
public enum KeyOrigin: String, Sendable, Codable, CaseIterable, Hashable {
    case awsKMS = "AWS_KMS"
    case awsCloudHSM = "AWS_CLOUDHSM"
    case externalKeyStore = "EXTERNAL_KEY_STORE"
    case external = "EXTERNAL"
}

/// A KMS key that lives in a custom key store.
public struct KMSKey: Sendable, Hashable, Identifiable {
    public var id: String
    public var arn: String
    public var customKeyStoreId: String?
    public var cloudHsmClusterId: String?
    /// The external key's ID in the proxy (`XksKeyConfiguration.Id`), only for keys in an external key store.
    public var xksKeyId: String?
    public var description: String
    public var keyState: KeyState
    public var creationDate: Date
    public var deletionDate: Date?
    /// The most recent cryptographic use of the key, when known.
    public var lastUsage: KeyUsage?

    public init(
        id: String, arn: String, customKeyStoreId: String?, cloudHsmClusterId: String?, description: String,
        keyState: KeyState, creationDate: Date, deletionDate: Date? = nil, lastUsage: KeyUsage? = nil,
        xksKeyId: String? = nil
    ) {
        self.id = id
        self.arn = arn
        self.customKeyStoreId = customKeyStoreId
        self.cloudHsmClusterId = cloudHsmClusterId
        self.description = description
        self.keyState = keyState
        self.creationDate = creationDate
        self.deletionDate = deletionDate
        self.lastUsage = lastUsage
        self.xksKeyId = xksKeyId
    }

    public var origin: KeyOrigin {
        if xksKeyId != nil { return .externalKeyStore }
        return customKeyStoreId == nil ? .awsKMS : .awsCloudHSM
    }

    /// `Enabled` in KeyMetadata: true only when the state is Enabled.
    public var isEnabled: Bool { keyState == .enabled }

    /// The key's `KeyMetadata` as KMS returns it for a key in a custom key store.
    public func keyMetadataJSON(accountId: String) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("AWSAccountId", .string(accountId)),
            ("KeyId", .string(id)),
            ("Arn", .string(arn)),
            ("CreationDate", .number(creationDate.kmsEpochSeconds)),
            ("Enabled", .bool(isEnabled)),
            ("Description", .string(description)),
            ("KeyUsage", .string("ENCRYPT_DECRYPT")),
            ("KeyState", .string(keyState.rawValue)),
        ]
        if let deletionDate { fields.append(("DeletionDate", .number(deletionDate.kmsEpochSeconds))) }
        fields.append(("Origin", .string(origin.rawValue)))
        if let customKeyStoreId { fields.append(("CustomKeyStoreId", .string(customKeyStoreId))) }
        if let cloudHsmClusterId { fields.append(("CloudHsmClusterId", .string(cloudHsmClusterId))) }
        fields += [
            ("KeyManager", .string("CUSTOMER")),
            ("CustomerMasterKeySpec", .string("SYMMETRIC_DEFAULT")),
            ("KeySpec", .string("SYMMETRIC_DEFAULT")),
            ("EncryptionAlgorithms", .array([.string("SYMMETRIC_DEFAULT")])),
            ("MultiRegion", .bool(false)),
        ]
        if let xksKeyId { fields.append(("XksKeyConfiguration", .object([("Id", .string(xksKeyId))]))) }
        return .object(fields)
    }
}

/// One recorded cryptographic use of a key.
public struct KeyUsage: Sendable, Hashable, Codable {
    public var operation: String
    public var time: Date

    public init(operation: String, time: Date) {
        self.operation = operation
        self.time = time
    }
}
