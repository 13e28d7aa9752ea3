/// What DescribeCustomKeyStores asks: one store by ID or name (not both), or a page of all.
public struct DescribeKeyStoresRequest: Sendable, Hashable {
    public var customKeyStoreId: String?
    public var customKeyStoreName: String?
    public var limit: Int?
    public var marker: String?

    public init(customKeyStoreId: String? = nil, customKeyStoreName: String? = nil, limit: Int? = nil, marker: String? = nil) {
        self.customKeyStoreId = customKeyStoreId
        self.customKeyStoreName = customKeyStoreName
        self.limit = limit
        self.marker = marker
    }
}

/// One page of DescribeCustomKeyStores.
public struct KeyStorePage: Sendable, Hashable {
    public var keyStores: [CustomKeyStore]
    /// Present when `truncated`: pass it as the next request's marker.
    public var nextMarker: String?
    public var truncated: Bool { nextMarker != nil }

    public init(keyStores: [CustomKeyStore], nextMarker: String?) {
        self.keyStores = keyStores
        self.nextMarker = nextMarker
    }
}

/// What CreateCustomKeyStore needs for an AWS CloudHSM key store.
public struct CloudHSMKeyStoreSettings: Sendable, Hashable {
    public var cloudHsmClusterId: String
    public var trustAnchorCertificate: String
    public var keyStorePassword: String

    public init(cloudHsmClusterId: String, trustAnchorCertificate: String, keyStorePassword: String) {
        self.cloudHsmClusterId = cloudHsmClusterId
        self.trustAnchorCertificate = trustAnchorCertificate
        self.keyStorePassword = keyStorePassword
    }
}

/// CreateCustomKeyStore: a name and the settings of one of the two store types.
public struct CreateKeyStoreRequest: Sendable, Hashable {
    /// The settings that decide the store's type.
    public enum Settings: Sendable, Hashable {
        case cloudHSM(CloudHSMKeyStoreSettings)
        case external(XKSProxySettings)
    }

    public var name: String
    public var settings: Settings

    public init(name: String, settings: Settings) {
        self.name = name
        self.settings = settings
    }

    /// A CloudHSM key store.
    public init(name: String, cloudHsmClusterId: String, trustAnchorCertificate: String, keyStorePassword: String) {
        self.init(name: name, settings: .cloudHSM(CloudHSMKeyStoreSettings(
            cloudHsmClusterId: cloudHsmClusterId, trustAnchorCertificate: trustAnchorCertificate,
            keyStorePassword: keyStorePassword)))
    }

    /// An external key store.
    public init(name: String, external: XKSProxySettings) {
        self.init(name: name, settings: .external(external))
    }

    public var type: CustomKeyStoreType {
        switch settings {
        case .cloudHSM: .awsCloudHSM
        case .external: .externalKeyStore
        }
    }

    /// The CloudHSM settings, nil for an external key store.
    public var cloudHSM: CloudHSMKeyStoreSettings? {
        if case let .cloudHSM(settings) = settings { settings } else { nil }
    }

    /// The proxy settings, nil for a CloudHSM key store.
    public var external: XKSProxySettings? {
        if case let .external(settings) = settings { settings } else { nil }
    }
}

/// UpdateCustomKeyStore: a new name, and the settings of the store's type that change.
///
/// CloudHSM: the kmsuser password or a related cluster. External: the proxy connectivity, URI endpoint and
/// VPC endpoint service (DISCONNECTED only), and the URI path and credential (also while CONNECTED).
public struct UpdateKeyStoreRequest: Sendable, Hashable {
    public var customKeyStoreId: String
    public var newName: String?
    public var keyStorePassword: String?
    public var cloudHsmClusterId: String?
    public var xksProxyConnectivity: XKSProxyConnectivity?
    public var xksProxyUriEndpoint: String?
    public var xksProxyUriPath: String?
    public var xksProxyCredential: XKSProxyCredential?
    /// An empty string removes the service name (needed when switching to PUBLIC_ENDPOINT).
    public var xksProxyVpcEndpointServiceName: String?
    public var xksProxyVpcEndpointServiceOwner: String?

    public init(
        customKeyStoreId: String, newName: String? = nil, keyStorePassword: String? = nil, cloudHsmClusterId: String? = nil,
        xksProxyConnectivity: XKSProxyConnectivity? = nil, xksProxyUriEndpoint: String? = nil, xksProxyUriPath: String? = nil,
        xksProxyCredential: XKSProxyCredential? = nil, xksProxyVpcEndpointServiceName: String? = nil,
        xksProxyVpcEndpointServiceOwner: String? = nil
    ) {
        self.customKeyStoreId = customKeyStoreId
        self.newName = newName
        self.keyStorePassword = keyStorePassword
        self.cloudHsmClusterId = cloudHsmClusterId
        self.xksProxyConnectivity = xksProxyConnectivity
        self.xksProxyUriEndpoint = xksProxyUriEndpoint
        self.xksProxyUriPath = xksProxyUriPath
        self.xksProxyCredential = xksProxyCredential
        self.xksProxyVpcEndpointServiceName = xksProxyVpcEndpointServiceName
        self.xksProxyVpcEndpointServiceOwner = xksProxyVpcEndpointServiceOwner
    }

    /// True when the request changes something only an external key store has.
    public var touchesProxySettings: Bool {
        xksProxyConnectivity != nil || xksProxyUriEndpoint != nil || xksProxyUriPath != nil || xksProxyCredential != nil
            || xksProxyVpcEndpointServiceName != nil || xksProxyVpcEndpointServiceOwner != nil
    }

    /// True when the request changes something only a CloudHSM key store has.
    public var touchesCloudHSMSettings: Bool { keyStorePassword != nil || cloudHsmClusterId != nil }

    /// The rule that governs this update: the strictest of what it changes.
    public var action: KeyStoreAction {
        if touchesCloudHSMSettings || xksProxyConnectivity != nil || xksProxyUriEndpoint != nil
            || xksProxyVpcEndpointServiceName != nil || xksProxyVpcEndpointServiceOwner != nil {
            return .editSettings
        }
        if xksProxyUriPath != nil || xksProxyCredential != nil { return .editProxyAccess }
        return .rename
    }
}
