/// What KMS says about the call it makes, in every request. Fields a request does not need are nil.
public struct XKSRequestMetadata: Codable, Sendable, Hashable {
    public var kmsRequestId: String?
    public var kmsOperation: String?
    public var awsPrincipalArn: String?
    public var kmsKeyArn: String?
    public var kmsViaService: String?
    public var awsSourceVpc: String?
    public var awsSourceVpce: String?

    public init(
        kmsRequestId: String?, kmsOperation: String?, awsPrincipalArn: String? = nil, kmsKeyArn: String? = nil,
        kmsViaService: String? = nil, awsSourceVpc: String? = nil, awsSourceVpce: String? = nil
    ) {
        self.kmsRequestId = kmsRequestId
        self.kmsOperation = kmsOperation
        self.awsPrincipalArn = awsPrincipalArn
        self.kmsKeyArn = kmsKeyArn
        self.kmsViaService = kmsViaService
        self.awsSourceVpc = awsSourceVpc
        self.awsSourceVpce = awsSourceVpce
    }
}

/// `POST <prefix>/kms/xks/v1/health`.
public struct XKSHealthRequest: Codable, Sendable, Hashable {
    public var requestMetadata: XKSRequestMetadata?

    public init(requestMetadata: XKSRequestMetadata?) {
        self.requestMetadata = requestMetadata
    }
}

/// One external key manager instance as GetHealthStatus reports it.
public struct XKSKeyManagerInstance: Codable, Sendable, Hashable {
    public var id: String
    public var model: String
    public var healthStatus: XKSHealthStatus

    public init(id: String, model: String, healthStatus: XKSHealthStatus) {
        self.id = id
        self.model = model
        self.healthStatus = healthStatus
    }
}

/// The answer to GetHealthStatus; every field is required.
public struct XKSHealthResponse: Codable, Sendable, Hashable {
    public var xksProxyFleetSize: Int
    public var xksProxyVendor: String
    public var xksProxyModel: String
    public var ekmVendor: String
    public var ekmFleetDetails: [XKSKeyManagerInstance]

    public init(
        xksProxyFleetSize: Int, xksProxyVendor: String, xksProxyModel: String, ekmVendor: String,
        ekmFleetDetails: [XKSKeyManagerInstance]
    ) {
        self.xksProxyFleetSize = xksProxyFleetSize
        self.xksProxyVendor = xksProxyVendor
        self.xksProxyModel = xksProxyModel
        self.ekmVendor = ekmVendor
        self.ekmFleetDetails = ekmFleetDetails
    }
}

/// `POST <prefix>/kms/xks/v1/keys/<id>/metadata`.
public struct XKSKeyMetadataRequest: Codable, Sendable, Hashable {
    public var requestMetadata: XKSRequestMetadata?

    public init(requestMetadata: XKSRequestMetadata?) {
        self.requestMetadata = requestMetadata
    }
}

/// The answer to GetKeyMetadata.
public struct XKSKeyMetadataResponse: Codable, Sendable, Hashable {
    /// Always `AES_256` for keys KMS can use.
    public var keySpec: String
    public var keyUsage: [String]
    /// `ENABLED` or `DISABLED`.
    public var keyStatus: String

    public init(keySpec: String, keyUsage: [String], keyStatus: String) {
        self.keySpec = keySpec
        self.keyUsage = keyUsage
        self.keyStatus = keyStatus
    }
}

/// `POST <prefix>/kms/xks/v1/keys/<id>/encrypt`. Binary fields are standard Base64.
public struct XKSEncryptRequest: Codable, Sendable, Hashable {
    public var requestMetadata: XKSRequestMetadata?
    public var plaintext: String?
    public var encryptionAlgorithm: String?
    public var additionalAuthenticatedData: String?
    /// `SHA_256` asks for `ciphertextDataIntegrityValue` in the answer.
    public var ciphertextDataIntegrityValueAlgorithm: String?

    public init(
        requestMetadata: XKSRequestMetadata?, plaintext: String?, encryptionAlgorithm: String? = XKSAlgorithm.aesGCM,
        additionalAuthenticatedData: String? = nil, ciphertextDataIntegrityValueAlgorithm: String? = nil
    ) {
        self.requestMetadata = requestMetadata
        self.plaintext = plaintext
        self.encryptionAlgorithm = encryptionAlgorithm
        self.additionalAuthenticatedData = additionalAuthenticatedData
        self.ciphertextDataIntegrityValueAlgorithm = ciphertextDataIntegrityValueAlgorithm
    }
}

/// The answer to Encrypt. Binary fields are standard Base64.
public struct XKSEncryptResponse: Codable, Sendable, Hashable {
    public var ciphertext: String
    public var initializationVector: String
    public var authenticationTag: String
    public var ciphertextMetadata: String?
    public var ciphertextDataIntegrityValue: String?

    public init(
        ciphertext: String, initializationVector: String, authenticationTag: String, ciphertextMetadata: String?,
        ciphertextDataIntegrityValue: String?
    ) {
        self.ciphertext = ciphertext
        self.initializationVector = initializationVector
        self.authenticationTag = authenticationTag
        self.ciphertextMetadata = ciphertextMetadata
        self.ciphertextDataIntegrityValue = ciphertextDataIntegrityValue
    }
}

/// `POST <prefix>/kms/xks/v1/keys/<id>/decrypt`. Binary fields are standard Base64.
public struct XKSDecryptRequest: Codable, Sendable, Hashable {
    public var requestMetadata: XKSRequestMetadata?
    public var ciphertext: String?
    public var ciphertextMetadata: String?
    public var encryptionAlgorithm: String?
    public var additionalAuthenticatedData: String?
    public var initializationVector: String?
    public var authenticationTag: String?

    public init(
        requestMetadata: XKSRequestMetadata?, ciphertext: String?, ciphertextMetadata: String? = nil,
        encryptionAlgorithm: String? = XKSAlgorithm.aesGCM, additionalAuthenticatedData: String? = nil,
        initializationVector: String?, authenticationTag: String?
    ) {
        self.requestMetadata = requestMetadata
        self.ciphertext = ciphertext
        self.ciphertextMetadata = ciphertextMetadata
        self.encryptionAlgorithm = encryptionAlgorithm
        self.additionalAuthenticatedData = additionalAuthenticatedData
        self.initializationVector = initializationVector
        self.authenticationTag = authenticationTag
    }
}

/// The answer to Decrypt.
public struct XKSDecryptResponse: Codable, Sendable, Hashable {
    public var plaintext: String

    public init(plaintext: String) {
        self.plaintext = plaintext
    }
}

/// The algorithm names the API uses.
public enum XKSAlgorithm {
    public static let aesGCM = "AES_GCM"
    public static let sha256 = "SHA_256"
    public static let aes256 = "AES_256"
}
