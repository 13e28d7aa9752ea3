import Foundation
import KeyStoreEngine

/// The KMS operations cks uses, on the JSON 1.1 protocol.
public struct KMSClient: Sendable {
    public var json: AWSJSONClient

    public init(json: AWSJSONClient) {
        self.json = json
    }

    // MARK: Custom key stores

    public func describeCustomKeyStores(_ request: DescribeKeyStoresRequest) async throws(KMSError) -> KeyStorePage {
        var body: [(String, JSONValue)] = []
        if let id = request.customKeyStoreId { body.append(("CustomKeyStoreId", .string(id))) }
        if let name = request.customKeyStoreName { body.append(("CustomKeyStoreName", .string(name))) }
        if let limit = request.limit { body.append(("Limit", .integer(limit))) }
        if let marker = request.marker { body.append(("Marker", .string(marker))) }
        let answer = try await json.call("DescribeCustomKeyStores", .object(body))
        var stores: [CustomKeyStore] = []
        for entry in answer["CustomKeyStores"]?.arrayValue ?? [] {
            stores.append(try CustomKeyStore(apiJSON: entry))
        }
        let truncated = answer["Truncated"]?.boolValue ?? (answer["NextMarker"] != nil)
        return KeyStorePage(keyStores: stores, nextMarker: truncated ? answer["NextMarker"]?.stringValue : nil)
    }

    public func connectCustomKeyStore(id: String) async throws(KMSError) {
        _ = try await json.call("ConnectCustomKeyStore", .object([("CustomKeyStoreId", .string(id))]))
    }

    public func disconnectCustomKeyStore(id: String) async throws(KMSError) {
        _ = try await json.call("DisconnectCustomKeyStore", .object([("CustomKeyStoreId", .string(id))]))
    }

    public func createCustomKeyStore(_ request: CreateKeyStoreRequest) async throws(KMSError) -> String {
        var body: [(String, JSONValue)] = [("CustomKeyStoreName", .string(request.name))]
        switch request.settings {
        case let .cloudHSM(settings):
            body += [
                ("CloudHsmClusterId", .string(settings.cloudHsmClusterId)),
                ("TrustAnchorCertificate", .string(settings.trustAnchorCertificate)),
                ("KeyStorePassword", .string(settings.keyStorePassword)),
            ]
        case let .external(settings):
            body += [
                ("CustomKeyStoreType", .string(CustomKeyStoreType.externalKeyStore.rawValue)),
                ("XksProxyConnectivity", .string(settings.connectivity.rawValue)),
                ("XksProxyUriEndpoint", .string(settings.uriEndpoint)),
                ("XksProxyUriPath", .string(settings.uriPath)),
                ("XksProxyAuthenticationCredential", Self.credentialJSON(settings.credential)),
            ]
            if let name = settings.vpcEndpointServiceName { body.append(("XksProxyVpcEndpointServiceName", .string(name))) }
            if let owner = settings.vpcEndpointServiceOwner { body.append(("XksProxyVpcEndpointServiceOwner", .string(owner))) }
        }
        let answer = try await json.call("CreateCustomKeyStore", .object(body))
        guard let id = answer["CustomKeyStoreId"]?.stringValue else {
            throw KMSError(.serialization, "CreateCustomKeyStore answered without a CustomKeyStoreId.")
        }
        return id
    }

    public func updateCustomKeyStore(_ request: UpdateKeyStoreRequest) async throws(KMSError) {
        var body: [(String, JSONValue)] = [("CustomKeyStoreId", .string(request.customKeyStoreId))]
        if let name = request.newName { body.append(("NewCustomKeyStoreName", .string(name))) }
        if let password = request.keyStorePassword { body.append(("KeyStorePassword", .string(password))) }
        if let cluster = request.cloudHsmClusterId { body.append(("CloudHsmClusterId", .string(cluster))) }
        if let connectivity = request.xksProxyConnectivity { body.append(("XksProxyConnectivity", .string(connectivity.rawValue))) }
        if let endpoint = request.xksProxyUriEndpoint { body.append(("XksProxyUriEndpoint", .string(endpoint))) }
        if let path = request.xksProxyUriPath { body.append(("XksProxyUriPath", .string(path))) }
        if let credential = request.xksProxyCredential {
            body.append(("XksProxyAuthenticationCredential", Self.credentialJSON(credential)))
        }
        if let name = request.xksProxyVpcEndpointServiceName { body.append(("XksProxyVpcEndpointServiceName", .string(name))) }
        if let owner = request.xksProxyVpcEndpointServiceOwner { body.append(("XksProxyVpcEndpointServiceOwner", .string(owner))) }
        _ = try await json.call("UpdateCustomKeyStore", .object(body))
    }

    private static func credentialJSON(_ credential: XKSProxyCredential) -> JSONValue {
        .object([("AccessKeyId", .string(credential.accessKeyId)), ("RawSecretAccessKey", .string(credential.rawSecretAccessKey))])
    }

    public func deleteCustomKeyStore(id: String) async throws(KMSError) {
        _ = try await json.call("DeleteCustomKeyStore", .object([("CustomKeyStoreId", .string(id))]))
    }

    // MARK: Keys

    /// One page of ListKeys: key IDs and ARNs.
    public func listKeys(limit: Int? = nil, marker: String? = nil) async throws(KMSError) -> (keys: [(id: String, arn: String)], nextMarker: String?) {
        var body: [(String, JSONValue)] = []
        if let limit { body.append(("Limit", .integer(limit))) }
        if let marker { body.append(("Marker", .string(marker))) }
        let answer = try await json.call("ListKeys", .object(body))
        let keys = (answer["Keys"]?.arrayValue ?? []).compactMap { entry -> (id: String, arn: String)? in
            guard let id = entry["KeyId"]?.stringValue else { return nil }
            return (id, entry["KeyArn"]?.stringValue ?? id)
        }
        let truncated = answer["Truncated"]?.boolValue ?? (answer["NextMarker"] != nil)
        return (keys, truncated ? answer["NextMarker"]?.stringValue : nil)
    }

    /// Every key of the account and Region, page by page.
    public func allKeyIds() async throws(KMSError) -> [String] {
        var ids: [String] = []
        var marker: String?
        repeat {
            let page = try await listKeys(limit: 1000, marker: marker)
            ids += page.keys.map(\.id)
            marker = page.nextMarker
        } while marker != nil
        return ids
    }

    public func describeKey(_ keyId: String) async throws(KMSError) -> KMSKey {
        let answer = try await json.call("DescribeKey", .object([("KeyId", .string(keyId))]))
        guard let metadata = answer["KeyMetadata"] else {
            throw KMSError(.serialization, "DescribeKey answered without KeyMetadata.")
        }
        return try KMSKey(keyMetadata: metadata)
    }

    /// CreateKey: a symmetric encryption key, in a custom key store when `id` is given: Origin AWS_CLOUDHSM, or
    /// EXTERNAL_KEY_STORE with the external key's `xksKeyId`.
    public func createKey(inKeyStore id: String?, description: String, xksKeyId: String? = nil) async throws(KMSError) -> KMSKey {
        var body: [(String, JSONValue)] = []
        if let id { body.append(("CustomKeyStoreId", .string(id))) }
        if let xksKeyId {
            body += [("Origin", .string(KeyOrigin.externalKeyStore.rawValue)), ("XksKeyId", .string(xksKeyId))]
        } else if id != nil {
            body.append(("Origin", .string(KeyOrigin.awsCloudHSM.rawValue)))
        }
        body += [
            ("KeySpec", .string("SYMMETRIC_DEFAULT")),
            ("KeyUsage", .string("ENCRYPT_DECRYPT")),
            ("Description", .string(description)),
        ]
        let answer = try await json.call("CreateKey", .object(body))
        guard let metadata = answer["KeyMetadata"] else {
            throw KMSError(.serialization, "CreateKey answered without KeyMetadata.")
        }
        return try KMSKey(keyMetadata: metadata)
    }

    public func enableKey(_ keyId: String) async throws(KMSError) {
        _ = try await json.call("EnableKey", .object([("KeyId", .string(keyId))]))
    }

    public func disableKey(_ keyId: String) async throws(KMSError) {
        _ = try await json.call("DisableKey", .object([("KeyId", .string(keyId))]))
    }

    /// ScheduleKeyDeletion; returns the DeletionDate KMS answers.
    public func scheduleKeyDeletion(_ keyId: String, pendingWindowInDays: Int) async throws(KMSError) -> Date {
        let answer = try await json.call("ScheduleKeyDeletion", .object([
            ("KeyId", .string(keyId)), ("PendingWindowInDays", .integer(pendingWindowInDays)),
        ]))
        guard let date = AWSTimestamp.parse(answer["DeletionDate"]) else {
            throw KMSError(.serialization, "ScheduleKeyDeletion answered without a DeletionDate.")
        }
        return date
    }

    public func cancelKeyDeletion(_ keyId: String) async throws(KMSError) {
        _ = try await json.call("CancelKeyDeletion", .object([("KeyId", .string(keyId))]))
    }
}

extension KMSKey {
    /// Reads a `KeyMetadata` object. A KeyState this version does not know reads as Unavailable.
    public init(keyMetadata json: JSONValue) throws(KMSError) {
        guard let id = json["KeyId"]?.stringValue else {
            throw KMSError(.serialization, "A KeyMetadata lacks its KeyId.")
        }
        self.init(
            id: id, arn: json["Arn"]?.stringValue ?? id,
            customKeyStoreId: json["CustomKeyStoreId"]?.stringValue,
            cloudHsmClusterId: json["CloudHsmClusterId"]?.stringValue,
            description: json["Description"]?.stringValue ?? "",
            keyState: json["KeyState"]?.stringValue.flatMap(KeyState.init(rawValue:)) ?? .unavailable,
            creationDate: AWSTimestamp.parse(json["CreationDate"]) ?? Date(timeIntervalSince1970: 0),
            deletionDate: AWSTimestamp.parse(json["DeletionDate"]),
            xksKeyId: json["XksKeyConfiguration"]?["Id"]?.stringValue
        )
    }
}
