import Foundation
import KeyStoreEngine

/// CreateKey, DescribeKey, ListKeys, EnableKey, DisableKey, ScheduleKeyDeletion and CancelKeyDeletion.
struct KeyOperations<Service: KMSEndpointService>: Sendable {
    let context: OperationContext<Service>

    func create(_ fields: inout RequestFields) async throws(ServiceError) -> JSONValue {
        _ = try fields.string("Policy", length: 1...131_072)
        let description = try fields.string("Description", length: 0...8192) ?? ""
        let usage = try fields.enumeration("KeyUsage", allowed: ["SIGN_VERIFY", "ENCRYPT_DECRYPT", "GENERATE_VERIFY_MAC", "KEY_AGREEMENT"])
        let masterKeySpec = try fields.enumeration("CustomerMasterKeySpec", allowed: KeyMembers.customerMasterKeySpecs)
        let keySpec = try fields.enumeration("KeySpec", allowed: KeyMembers.keySpecs)
        let origin = try fields.enumeration("Origin", allowed: ["AWS_KMS", "EXTERNAL", "AWS_CLOUDHSM", "EXTERNAL_KEY_STORE"]) ?? "AWS_KMS"
        let storeId = try fields.string("CustomKeyStoreId", length: 1...64)
        _ = try fields.boolean("BypassPolicyLockoutSafetyCheck")
        _ = try fields.structureList("Tags")
        let multiRegion = try fields.boolean("MultiRegion") ?? false
        let xksKeyId = try fields.string("XksKeyId", length: 1...128, pattern: MemberPattern.xksKeyId)
        try fields.validate()

        if keySpec != nil && masterKeySpec != nil {
            throw .validation("KeySpec and CustomerMasterKeySpec cannot both be given. Use KeySpec (CustomerMasterKeySpec is deprecated).")
        }
        if origin == "EXTERNAL" {
            throw .unsupported("cks serve does not simulate keys with imported key material (Origin EXTERNAL). Use AWS_KMS, AWS_CLOUDHSM or EXTERNAL_KEY_STORE with CustomKeyStoreId.")
        }
        if let xksKeyId, origin != "EXTERNAL_KEY_STORE" {
            throw .validation("XksKeyId \(xksKeyId) is valid only when Origin is EXTERNAL_KEY_STORE (it is \(origin)). Set Origin to EXTERNAL_KEY_STORE to create the key in an external key store, or leave XksKeyId out.")
        }
        if let storeId, origin != "AWS_CLOUDHSM" && origin != "EXTERNAL_KEY_STORE" {
            throw .validation("To create a KMS key in custom key store \(storeId), set Origin to AWS_CLOUDHSM (an AWS CloudHSM key store) or EXTERNAL_KEY_STORE (an external key store); it is \(origin).")
        }
        if origin == "AWS_CLOUDHSM" && storeId == nil {
            throw .validation("Origin AWS_CLOUDHSM needs CustomKeyStoreId: the ID of the AWS CloudHSM key store to create the key in.")
        }
        if origin == "EXTERNAL_KEY_STORE" && (storeId == nil || xksKeyId == nil) {
            let missing = [("CustomKeyStoreId", storeId), ("XksKeyId", xksKeyId)].filter { $0.1 == nil }.map(\.0)
            throw .validation("Origin EXTERNAL_KEY_STORE needs CustomKeyStoreId (the external key store) and XksKeyId (the external key's ID in its proxy); missing: \(missing.joined(separator: ", ")).")
        }
        let spec = keySpec ?? masterKeySpec ?? "SYMMETRIC_DEFAULT"
        if spec != "SYMMETRIC_DEFAULT" {
            throw .unsupported(storeId != nil
                ? "KMS keys in a custom key store must be symmetric encryption keys: KeySpec SYMMETRIC_DEFAULT, not \(spec)."
                : "cks serve simulates symmetric encryption keys only (KeySpec SYMMETRIC_DEFAULT), not \(spec).")
        }
        if let usage, usage != "ENCRYPT_DECRYPT" {
            throw .validation("KeyUsage \(usage) is not valid for KeySpec SYMMETRIC_DEFAULT. Symmetric encryption keys use ENCRYPT_DECRYPT.")
        }
        if multiRegion {
            throw .unsupported(storeId != nil
                ? "Multi-Region keys cannot be created in a custom key store."
                : "cks serve does not simulate multi-Region keys.")
        }
        let key = try await context.call { () async throws(KMSError) in
            try await context.service.createKey(inKeyStore: storeId, description: description, xksKeyId: xksKeyId)
        }
        return .object([("KeyMetadata", key.keyMetadataJSON(accountId: context.accountId))])
    }

    func describe(_ fields: inout RequestFields) async throws(ServiceError) -> JSONValue {
        let keyId = try KeyMembers.keyId(&fields)
        _ = try fields.stringList("GrantTokens", maxCount: 10)
        try fields.validate()
        let key = try await context.call { () async throws(KMSError) in try await context.service.describeKey(keyId ?? "") }
        return .object([("KeyMetadata", key.keyMetadataJSON(accountId: context.accountId))])
    }

    func list(_ fields: inout RequestFields) async throws(ServiceError) -> JSONValue {
        let limit = try fields.integer("Limit", range: 1...1000) ?? 100
        let marker = try fields.string("Marker", length: 1...1024, pattern: MemberPattern.marker)
        try fields.validate()
        let page = try await context.call { () async throws(KMSError) in
            try await context.service.listKeys(limit: limit, marker: marker)
        }
        var answer: [(String, JSONValue)] = [
            ("Keys", .array(page.keys.map { .object([("KeyId", .string($0.keyId)), ("KeyArn", .string($0.keyArn))]) })),
        ]
        if let next = page.nextMarker { answer.append(("NextMarker", .string(next))) }
        answer.append(("Truncated", .bool(page.truncated)))
        return .object(answer)
    }

    func enable(_ fields: inout RequestFields) async throws(ServiceError) -> JSONValue {
        let keyId = try KeyMembers.requiredKeyId(&fields)
        try await context.call { () async throws(KMSError) in try await context.service.enableKey(keyId) }
        return .object([])
    }

    func disable(_ fields: inout RequestFields) async throws(ServiceError) -> JSONValue {
        let keyId = try KeyMembers.requiredKeyId(&fields)
        try await context.call { () async throws(KMSError) in try await context.service.disableKey(keyId) }
        return .object([])
    }

    func scheduleDeletion(_ fields: inout RequestFields) async throws(ServiceError) -> JSONValue {
        let keyId = try KeyMembers.keyId(&fields)
        let days = try fields.integer("PendingWindowInDays", range: 1...365) ?? 30
        try fields.validate()
        let service = context.service
        let (deletion, key) = try await context.call { () async throws(KMSError) in
            let deletion = try await service.scheduleKeyDeletion(keyId ?? "", pendingWindowInDays: days)
            return (deletion, try await service.describeKey(keyId ?? ""))
        }
        return .object([
            ("KeyId", .string(key.arn)),
            ("DeletionDate", .number(deletion.kmsEpochSeconds)),
            ("KeyState", .string(KeyState.pendingDeletion.rawValue)),
            ("PendingWindowInDays", .integer(days)),
        ])
    }

    func cancelDeletion(_ fields: inout RequestFields) async throws(ServiceError) -> JSONValue {
        let keyId = try KeyMembers.requiredKeyId(&fields)
        let service = context.service
        let key = try await context.call { () async throws(KMSError) in
            try await service.cancelKeyDeletion(keyId)
            return try await service.describeKey(keyId)
        }
        return .object([("KeyId", .string(key.arn))])
    }
}
