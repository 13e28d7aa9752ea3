import Foundation

/// One custom key store, with the fields of DescribeCustomKeyStores' `CustomKeyStoresListEntry`.
public struct CustomKeyStore: Sendable, Hashable, Identifiable {
    public var id: String
    public var name: String
    public var type: CustomKeyStoreType
    public var cloudHsmClusterId: String?
    public var trustAnchorCertificate: String?
    /// Present only for EXTERNAL_KEY_STORE stores.
    public var xksProxyConfiguration: XKSProxyConfiguration?
    public var connectionState: ConnectionState
    /// Present only while the store is FAILED.
    public var connectionErrorCode: ConnectionErrorCode?
    public var creationDate: Date

    public init(
        id: String, name: String, type: CustomKeyStoreType = .awsCloudHSM, cloudHsmClusterId: String?,
        trustAnchorCertificate: String?, xksProxyConfiguration: XKSProxyConfiguration? = nil,
        connectionState: ConnectionState, connectionErrorCode: ConnectionErrorCode? = nil, creationDate: Date
    ) {
        self.id = id
        self.name = name
        self.type = type
        self.cloudHsmClusterId = cloudHsmClusterId
        self.trustAnchorCertificate = trustAnchorCertificate
        self.xksProxyConfiguration = xksProxyConfiguration
        self.connectionState = connectionState
        self.connectionErrorCode = connectionState == .failed ? connectionErrorCode : nil
        self.creationDate = creationDate
    }
}

extension CustomKeyStore {
    /// The entry exactly as the KMS API (and so `aws kms describe-custom-key-stores`) returns it.
    public var apiJSON: JSONValue {
        var fields: [(String, JSONValue)] = [
            ("CustomKeyStoreId", .string(id)),
            ("CustomKeyStoreName", .string(name)),
        ]
        if let cloudHsmClusterId { fields.append(("CloudHsmClusterId", .string(cloudHsmClusterId))) }
        if let trustAnchorCertificate { fields.append(("TrustAnchorCertificate", .string(trustAnchorCertificate))) }
        fields.append(("ConnectionState", .string(connectionState.rawValue)))
        if connectionState == .failed, let connectionErrorCode {
            fields.append(("ConnectionErrorCode", .string(connectionErrorCode.rawValue)))
        }
        fields.append(("CreationDate", .number(creationDate.kmsEpochSeconds)))
        fields.append(("CustomKeyStoreType", .string(type.rawValue)))
        if let xksProxyConfiguration { fields.append(("XksProxyConfiguration", xksProxyConfiguration.apiJSON)) }
        return .object(fields)
    }

    /// Reads an entry of a DescribeCustomKeyStores answer.
    public init(apiJSON json: JSONValue) throws(KMSError) {
        guard let id = json["CustomKeyStoreId"]?.stringValue, let name = json["CustomKeyStoreName"]?.stringValue,
              let stateName = json["ConnectionState"]?.stringValue,
              let state = ConnectionState(rawValue: stateName)
        else { throw KMSError(.serialization, "A CustomKeyStoresListEntry lacks its ID, name or ConnectionState.") }
        self.init(
            id: id, name: name,
            type: json["CustomKeyStoreType"]?.stringValue.flatMap(CustomKeyStoreType.init(rawValue:)) ?? .awsCloudHSM,
            cloudHsmClusterId: json["CloudHsmClusterId"]?.stringValue,
            trustAnchorCertificate: json["TrustAnchorCertificate"]?.stringValue,
            xksProxyConfiguration: json["XksProxyConfiguration"].flatMap(XKSProxyConfiguration.init(apiJSON:)),
            connectionState: state,
            connectionErrorCode: json["ConnectionErrorCode"]?.stringValue.flatMap(ConnectionErrorCode.init(rawValue:)),
            creationDate: Date(timeIntervalSince1970: json["CreationDate"]?.doubleValue ?? 0)
        )
    }
}

extension Date {
    /// Seconds since 1970 rounded to milliseconds, the precision KMS uses for timestamps.
    public var kmsEpochSeconds: Double {
        (timeIntervalSince1970 * 1000).rounded() / 1000
    }
}
