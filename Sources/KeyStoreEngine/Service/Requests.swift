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

/// CreateCustomKeyStore for a CloudHSM key store.
public struct CreateKeyStoreRequest: Sendable, Hashable {
    public var name: String
    public var cloudHsmClusterId: String
    public var trustAnchorCertificate: String
    public var keyStorePassword: String

    public init(name: String, cloudHsmClusterId: String, trustAnchorCertificate: String, keyStorePassword: String) {
        self.name = name
        self.cloudHsmClusterId = cloudHsmClusterId
        self.trustAnchorCertificate = trustAnchorCertificate
        self.keyStorePassword = keyStorePassword
    }
}

/// UpdateCustomKeyStore: any of a new name, the kmsuser password, or a related cluster.
public struct UpdateKeyStoreRequest: Sendable, Hashable {
    public var customKeyStoreId: String
    public var newName: String?
    public var keyStorePassword: String?
    public var cloudHsmClusterId: String?

    public init(customKeyStoreId: String, newName: String? = nil, keyStorePassword: String? = nil, cloudHsmClusterId: String? = nil) {
        self.customKeyStoreId = customKeyStoreId
        self.newName = newName
        self.keyStorePassword = keyStorePassword
        self.cloudHsmClusterId = cloudHsmClusterId
    }

    /// The rule that governs this update: a pure rename, or a change of settings.
    public var action: KeyStoreAction {
        keyStorePassword == nil && cloudHsmClusterId == nil ? .rename : .editSettings
    }
}
