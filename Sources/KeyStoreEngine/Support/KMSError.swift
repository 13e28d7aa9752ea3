/// An error as KMS reports it: the exception name (`__type`) and a message that says what to do.
public struct KMSError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The AWS exception name. Extensible, so that names a real endpoint sends decode too.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(_ name: String) { self.rawValue = name }
        public var description: String { rawValue }

        public static let customKeyStoreNotFound = Code("CustomKeyStoreNotFoundException")
        public static let customKeyStoreInvalidState = Code("CustomKeyStoreInvalidStateException")
        public static let customKeyStoreNameInUse = Code("CustomKeyStoreNameInUseException")
        public static let customKeyStoreHasCMKs = Code("CustomKeyStoreHasCMKsException")
        public static let cloudHsmClusterNotFound = Code("CloudHsmClusterNotFoundException")
        public static let cloudHsmClusterInUse = Code("CloudHsmClusterInUseException")
        public static let cloudHsmClusterNotActive = Code("CloudHsmClusterNotActiveException")
        public static let cloudHsmClusterInvalidConfiguration = Code("CloudHsmClusterInvalidConfigurationException")
        public static let cloudHsmClusterNotRelated = Code("CloudHsmClusterNotRelatedException")
        public static let incorrectTrustAnchor = Code("IncorrectTrustAnchorException")
        public static let xksProxyUriInUse = Code("XksProxyUriInUseException")
        public static let xksProxyUriEndpointInUse = Code("XksProxyUriEndpointInUseException")
        public static let xksProxyUriUnreachable = Code("XksProxyUriUnreachableException")
        public static let xksProxyIncorrectAuthenticationCredential = Code("XksProxyIncorrectAuthenticationCredentialException")
        public static let xksProxyInvalidConfiguration = Code("XksProxyInvalidConfigurationException")
        public static let xksProxyInvalidResponse = Code("XksProxyInvalidResponseException")
        public static let xksProxyVpcEndpointServiceNotFound = Code("XksProxyVpcEndpointServiceNotFoundException")
        public static let xksProxyVpcEndpointServiceInvalidConfiguration = Code("XksProxyVpcEndpointServiceInvalidConfigurationException")
        public static let xksProxyVpcEndpointServiceInUse = Code("XksProxyVpcEndpointServiceInUseException")
        public static let xksKeyNotFound = Code("XksKeyNotFoundException")
        public static let xksKeyInvalidConfiguration = Code("XksKeyInvalidConfigurationException")
        public static let xksKeyAlreadyInUse = Code("XksKeyAlreadyInUseException")
        public static let limitExceeded = Code("LimitExceededException")
        public static let kmsInternal = Code("KMSInternalException")
        public static let kmsInvalidState = Code("KMSInvalidStateException")
        public static let invalidMarker = Code("InvalidMarkerException")
        public static let validation = Code("ValidationException")
        public static let notFound = Code("NotFoundException")
        public static let disabled = Code("DisabledException")
        public static let invalidArn = Code("InvalidArnException")
        public static let invalidCiphertext = Code("InvalidCiphertextException")
        public static let incorrectKey = Code("IncorrectKeyException")
        public static let dryRunOperation = Code("DryRunOperationException")
        public static let invalidKeyUsage = Code("InvalidKeyUsageException")
        public static let unsupportedOperation = Code("UnsupportedOperationException")
        public static let dependencyTimeout = Code("DependencyTimeoutException")
        public static let serialization = Code("SerializationException")
        public static let unknownOperation = Code("UnknownOperationException")
        public static let throttling = Code("ThrottlingException")
        public static let accessDenied = Code("AccessDeniedException")
        public static let unrecognizedClient = Code("UnrecognizedClientException")
        public static let invalidSignature = Code("InvalidSignatureException")
        public static let incompleteSignature = Code("IncompleteSignatureException")
        /// Not a KMS name: the endpoint could not be reached or answered with something that is not KMS.
        public static let endpointUnavailable = Code("EndpointUnavailable")

        /// Server faults (HTTP 500) as opposed to client errors (HTTP 400).
        public var isServerFault: Bool {
            self == .kmsInternal || self == .dependencyTimeout || self == .endpointUnavailable
        }
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
