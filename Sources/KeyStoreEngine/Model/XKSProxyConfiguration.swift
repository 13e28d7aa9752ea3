/// How KMS reaches an external key store proxy (`XksProxyConnectivity`).
public enum XKSProxyConnectivity: String, Sendable, Codable, CaseIterable, Hashable {
    case publicEndpoint = "PUBLIC_ENDPOINT"
    case vpcEndpointService = "VPC_ENDPOINT_SERVICE"

    /// The console's name for it.
    public var displayName: String {
        switch self {
        case .publicEndpoint: "Public endpoint"
        case .vpcEndpointService: "VPC endpoint service"
        }
    }
}

/// The SigV4 credential KMS signs proxy requests with (`XksProxyAuthenticationCredential`).
/// The secret is given to KMS but never returned by it.
public struct XKSProxyCredential: Sendable, Hashable, Codable {
    public var accessKeyId: String
    public var rawSecretAccessKey: String

    public init(accessKeyId: String, rawSecretAccessKey: String) {
        self.accessKeyId = accessKeyId
        self.rawSecretAccessKey = rawSecretAccessKey
    }
}

/// An external key store's proxy settings as DescribeCustomKeyStores returns them (`XksProxyConfiguration`):
/// everything but the secret.
public struct XKSProxyConfiguration: Sendable, Hashable, Codable {
    public var connectivity: XKSProxyConnectivity
    public var accessKeyId: String
    /// `https://host`, no port and no path.
    public var uriEndpoint: String
    /// The path prefix ending in `/kms/xks/v1`.
    public var uriPath: String
    /// Only for VPC_ENDPOINT_SERVICE stores.
    public var vpcEndpointServiceName: String?
    /// Only for VPC_ENDPOINT_SERVICE stores.
    public var vpcEndpointServiceOwner: String?

    public init(connectivity: XKSProxyConnectivity, accessKeyId: String, uriEndpoint: String, uriPath: String,
                vpcEndpointServiceName: String? = nil, vpcEndpointServiceOwner: String? = nil) {
        self.connectivity = connectivity
        self.accessKeyId = accessKeyId
        self.uriEndpoint = uriEndpoint
        self.uriPath = uriPath
        self.vpcEndpointServiceName = vpcEndpointServiceName
        self.vpcEndpointServiceOwner = vpcEndpointServiceOwner
    }

    /// The host of `uriEndpoint` (`https://` removed).
    public var host: String {
        uriEndpoint.hasPrefix("https://") ? String(uriEndpoint.dropFirst("https://".count)) : uriEndpoint
    }

    /// The object as `aws kms describe-custom-key-stores` prints it (members in the order of KMS's examples).
    public var apiJSON: JSONValue {
        var fields: [(String, JSONValue)] = [
            ("AccessKeyId", .string(accessKeyId)),
            ("Connectivity", .string(connectivity.rawValue)),
            ("UriEndpoint", .string(uriEndpoint)),
            ("UriPath", .string(uriPath)),
        ]
        if let vpcEndpointServiceName { fields.append(("VpcEndpointServiceName", .string(vpcEndpointServiceName))) }
        if let vpcEndpointServiceOwner { fields.append(("VpcEndpointServiceOwner", .string(vpcEndpointServiceOwner))) }
        return .object(fields)
    }

    /// Reads an `XksProxyConfiguration` object; nil when it lacks a required member.
    public init?(apiJSON json: JSONValue) {
        guard let connectivityName = json["Connectivity"]?.stringValue,
              let connectivity = XKSProxyConnectivity(rawValue: connectivityName),
              let uriEndpoint = json["UriEndpoint"]?.stringValue, let uriPath = json["UriPath"]?.stringValue
        else { return nil }
        self.init(connectivity: connectivity, accessKeyId: json["AccessKeyId"]?.stringValue ?? "",
                  uriEndpoint: uriEndpoint, uriPath: uriPath,
                  vpcEndpointServiceName: json["VpcEndpointServiceName"]?.stringValue,
                  vpcEndpointServiceOwner: json["VpcEndpointServiceOwner"]?.stringValue)
    }
}

/// What CreateCustomKeyStore needs for an external key store.
public struct XKSProxySettings: Sendable, Hashable {
    public var connectivity: XKSProxyConnectivity
    public var uriEndpoint: String
    public var uriPath: String
    public var credential: XKSProxyCredential
    /// Required for VPC_ENDPOINT_SERVICE, refused for PUBLIC_ENDPOINT.
    public var vpcEndpointServiceName: String?
    /// Optional for VPC_ENDPOINT_SERVICE (the caller's account by default), refused for PUBLIC_ENDPOINT.
    public var vpcEndpointServiceOwner: String?

    public init(connectivity: XKSProxyConnectivity, uriEndpoint: String, uriPath: String, credential: XKSProxyCredential,
                vpcEndpointServiceName: String? = nil, vpcEndpointServiceOwner: String? = nil) {
        self.connectivity = connectivity
        self.uriEndpoint = uriEndpoint
        self.uriPath = uriPath
        self.credential = credential
        self.vpcEndpointServiceName = vpcEndpointServiceName
        self.vpcEndpointServiceOwner = vpcEndpointServiceOwner
    }

    /// The configuration KMS reports once the store exists (`owner` fills a VPC store's missing owner).
    public func configuration(defaultOwner owner: String) -> XKSProxyConfiguration {
        XKSProxyConfiguration(
            connectivity: connectivity, accessKeyId: credential.accessKeyId, uriEndpoint: uriEndpoint, uriPath: uriPath,
            vpcEndpointServiceName: connectivity == .vpcEndpointService ? vpcEndpointServiceName : nil,
            vpcEndpointServiceOwner: connectivity == .vpcEndpointService ? (vpcEndpointServiceOwner ?? owner) : nil)
    }
}
