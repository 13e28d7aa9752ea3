/// What `X-Amz-Target` asks for: a KMS operation (`TrentService.<Op>`) or CloudHSMv2 DescribeClusters
/// (`BaldrApiService.DescribeClusters`), each with the SigV4 signing name its clients use.
enum Target: Sendable, Hashable {
    case kms(KMSOperation)
    case cloudHSM(CloudHSMOperation)

    static let kmsPrefix = "TrentService."
    static let cloudHSMPrefix = "BaldrApiService."

    /// The signing name a request with this header value must be scoped to (`kms` unless it names CloudHSMv2).
    static func signingName(forHeader value: String?) -> String {
        value?.hasPrefix(cloudHSMPrefix) == true ? "cloudhsm" : "kms"
    }

    /// Reads the header, or says why it cannot be served.
    static func parse(_ value: String?) throws(ServiceError) -> Target {
        guard let value, !value.isEmpty else {
            throw ServiceError(
                type: "UnknownOperationException",
                message: "The request has no X-Amz-Target header. Send POST / with X-Amz-Target: TrentService.<Operation> (KMS) or BaldrApiService.DescribeClusters (CloudHSMv2), as the aws CLI and the SDKs do.")
        }
        if value.hasPrefix(kmsPrefix) {
            let name = String(value.dropFirst(kmsPrefix.count))
            if let operation = KMSOperation(rawValue: name) { return .kms(operation) }
            if KMSOperation.otherKMSOperations.contains(name) {
                throw ServiceError(
                    type: "UnknownOperationException",
                    message: "cks serve does not simulate the KMS operation \(name). It answers: \(KMSOperation.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
        } else if value.hasPrefix(cloudHSMPrefix) {
            let name = String(value.dropFirst(cloudHSMPrefix.count))
            if let operation = CloudHSMOperation(rawValue: name) { return .cloudHSM(operation) }
            throw ServiceError(
                type: "UnknownOperationException",
                message: "cks serve answers only DescribeClusters of CloudHSMv2, not \(String(name.prefix(100))).")
        }
        throw ServiceError(type: "UnknownOperationException", message: "Unknown operation \(String(value.prefix(200))).")
    }
}

/// The KMS operations `cks serve` answers.
enum KMSOperation: String, Sendable, CaseIterable {
    case createCustomKeyStore = "CreateCustomKeyStore"
    case connectCustomKeyStore = "ConnectCustomKeyStore"
    case disconnectCustomKeyStore = "DisconnectCustomKeyStore"
    case describeCustomKeyStores = "DescribeCustomKeyStores"
    case updateCustomKeyStore = "UpdateCustomKeyStore"
    case deleteCustomKeyStore = "DeleteCustomKeyStore"
    case createKey = "CreateKey"
    case describeKey = "DescribeKey"
    case listKeys = "ListKeys"
    case enableKey = "EnableKey"
    case disableKey = "DisableKey"
    case scheduleKeyDeletion = "ScheduleKeyDeletion"
    case cancelKeyDeletion = "CancelKeyDeletion"
    case encrypt = "Encrypt"
    case decrypt = "Decrypt"
    case generateDataKey = "GenerateDataKey"
    case generateDataKeyWithoutPlaintext = "GenerateDataKeyWithoutPlaintext"
    case generateRandom = "GenerateRandom"

    /// The rest of the KMS API (2014-11-01), named so that a caller learns it is real but not simulated.
    static let otherKMSOperations: Set<String> = [
        "CreateAlias", "CreateGrant", "DeleteAlias", "DeleteImportedKeyMaterial", "DeriveSharedSecret",
        "DisableKeyRotation", "EnableKeyRotation", "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext",
        "GenerateMac", "GetKeyLastUsage", "GetKeyPolicy", "GetKeyRotationStatus",
        "GetParametersForImport", "GetPublicKey", "ImportKeyMaterial", "ListAliases", "ListGrants", "ListKeyPolicies",
        "ListKeyRotations", "ListResourceTags", "ListRetirableGrants", "PutKeyPolicy", "ReEncrypt", "ReplicateKey",
        "RetireGrant", "RevokeGrant", "RotateKeyOnDemand", "Sign", "TagResource", "UntagResource", "UpdateAlias",
        "UpdateKeyDescription", "UpdatePrimaryRegion", "Verify", "VerifyMac",
    ]
}

/// The CloudHSMv2 operations `cks serve` answers.
enum CloudHSMOperation: String, Sendable, CaseIterable {
    case describeClusters = "DescribeClusters"
}
