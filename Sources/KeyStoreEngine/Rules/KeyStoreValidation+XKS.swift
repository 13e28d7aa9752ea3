/// The field rules of the KMS API model for external key stores and their keys (XKS spec section 1.1).
extension KeyStoreValidation {
    public static let xksProxyUriEndpointPattern = "^https://[a-zA-Z0-9.-]+$"
    public static let xksProxyUriPathPattern = "^(/[a-zA-Z0-9\\/_-]+/kms/xks/v\\d{1,2})$|^(/kms/xks/v\\d{1,2})$"
    public static let xksProxyAccessKeyIdPattern = "^[A-Z2-7]+$"
    public static let xksProxySecretPattern = "^[a-zA-Z0-9\\/+=]+$"
    public static let xksProxyVpcEndpointServiceNamePattern = "^(com|eu)\\.amazonaws\\.vpce\\.([a-z]+-){2,3}\\d+\\.vpce-svc-[0-9a-z]+$"
    public static let xksKeyIdPattern = "^[a-zA-Z0-9-_.]+$"

    public static func validateXksProxyUriEndpoint(_ endpoint: String, field: String = "xksProxyUriEndpoint") throws(KMSError) {
        try check(endpoint, field: field, length: 10...128, pattern: xksProxyUriEndpointPattern,
                  help: "Give https:// and the proxy's host name, with no port and no path (KMS always uses port 443), for example https://xks.example.com.")
    }

    public static func validateXksProxyUriPath(_ path: String, field: String = "xksProxyUriPath") throws(KMSError) {
        try check(path, field: field, length: 10...128, pattern: xksProxyUriPathPattern,
                  help: "The path starts with / and ends with /kms/xks/v1, with an optional prefix before it, for example /example/prefix/kms/xks/v1.")
    }

    public static func validateXksProxyCredential(_ credential: XKSProxyCredential) throws(KMSError) {
        try check(credential.accessKeyId, field: "xksProxyAuthenticationCredential.accessKeyId", length: 20...30,
                  pattern: xksProxyAccessKeyIdPattern, echo: false,
                  help: "The access key ID is 20 to 30 characters of A-Z and 2-7, as your proxy issued it (`cks xks-proxy status` shows the local proxy's).")
        try check(credential.rawSecretAccessKey, field: "xksProxyAuthenticationCredential.rawSecretAccessKey", length: 43...64,
                  pattern: xksProxySecretPattern, echo: false,
                  help: "The secret access key is 43 to 64 Base64 characters, as your proxy issued it.")
    }

    public static func validateXksProxyVpcEndpointServiceName(_ name: String, field: String = "xksProxyVpcEndpointServiceName") throws(KMSError) {
        try check(name, field: field, length: 20...64, pattern: xksProxyVpcEndpointServiceNamePattern,
                  help: "Give the endpoint service name of your proxy's VPC endpoint service, for example com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0.")
    }

    public static func validateXksProxyVpcEndpointServiceOwner(_ owner: String, field: String = "xksProxyVpcEndpointServiceOwner") throws(KMSError) {
        guard owner.count == 12, owner.allSatisfy(\.isASCIIDigit) else {
            throw KMSError(.validation, "1 validation error detected: Value '\(owner)' at '\(field)' failed to satisfy constraint: Member must have length 12 and match ^[0-9]{12}$. Give the 12-digit AWS account ID that owns the VPC endpoint service.")
        }
    }

    public static func validateXksKeyId(_ id: String, field: String = "xksKeyId") throws(KMSError) {
        try check(id, field: field, length: 1...128, pattern: xksKeyIdPattern,
                  help: "Give the external key's ID as the proxy knows it (`cks xks-proxy list-keys` shows the local proxy's keys).")
    }

    /// Every rule of CreateCustomKeyStore for an external key store, including which fields go with which connectivity.
    public static func validate(_ settings: XKSProxySettings) throws(KMSError) {
        try validateXksProxyUriEndpoint(settings.uriEndpoint)
        try validateXksProxyUriPath(settings.uriPath)
        try validateXksProxyCredential(settings.credential)
        switch settings.connectivity {
        case .publicEndpoint:
            if settings.vpcEndpointServiceName != nil || settings.vpcEndpointServiceOwner != nil {
                throw KMSError(.validation, "XksProxyVpcEndpointServiceName and XksProxyVpcEndpointServiceOwner are valid only when XksProxyConnectivity is VPC_ENDPOINT_SERVICE. Remove them, or use VPC_ENDPOINT_SERVICE connectivity.")
            }
        case .vpcEndpointService:
            guard let name = settings.vpcEndpointServiceName, !name.isEmpty else {
                throw KMSError(.validation, "XksProxyVpcEndpointServiceName is required when XksProxyConnectivity is VPC_ENDPOINT_SERVICE. Give the name of your proxy's VPC endpoint service.")
            }
            try validateXksProxyVpcEndpointServiceName(name)
            if let owner = settings.vpcEndpointServiceOwner { try validateXksProxyVpcEndpointServiceOwner(owner) }
        }
    }

    /// The field rules of UpdateCustomKeyStore's XKS members (state and store-type rules are `KeyStoreRules`'s).
    public static func validateProxyFields(of request: UpdateKeyStoreRequest) throws(KMSError) {
        if let endpoint = request.xksProxyUriEndpoint { try validateXksProxyUriEndpoint(endpoint) }
        if let path = request.xksProxyUriPath { try validateXksProxyUriPath(path) }
        if let credential = request.xksProxyCredential { try validateXksProxyCredential(credential) }
        if let name = request.xksProxyVpcEndpointServiceName, !name.isEmpty { try validateXksProxyVpcEndpointServiceName(name) }
        if let owner = request.xksProxyVpcEndpointServiceOwner { try validateXksProxyVpcEndpointServiceOwner(owner) }
        if request.xksProxyConnectivity != nil, request.xksProxyUriEndpoint == nil {
            throw KMSError(.validation, "Changing XksProxyConnectivity also requires a new XksProxyUriEndpoint. Give both.")
        }
        if request.xksProxyConnectivity == .vpcEndpointService, (request.xksProxyVpcEndpointServiceName ?? "").isEmpty {
            throw KMSError(.validation, "Changing XksProxyConnectivity to VPC_ENDPOINT_SERVICE also requires XksProxyVpcEndpointServiceName. Give the name of your proxy's VPC endpoint service.")
        }
        if request.xksProxyConnectivity == .publicEndpoint, let name = request.xksProxyVpcEndpointServiceName, !name.isEmpty {
            throw KMSError(.validation, "Changing XksProxyConnectivity to PUBLIC_ENDPOINT requires an empty XksProxyVpcEndpointServiceName.")
        }
    }

    private static func check(_ value: String, field: String, length: ClosedRange<Int>, pattern: String,
                              echo: Bool = true, help: String) throws(KMSError) {
        let shown = echo ? "Value '\(value)' at" : "Value at"
        guard length.contains(value.count) else {
            throw KMSError(.validation, "1 validation error detected: \(shown) '\(field)' failed to satisfy constraint: Member must have length between \(length.lowerBound) and \(length.upperBound). \(help)")
        }
        guard matches(value, pattern) else {
            throw KMSError(.validation, "1 validation error detected: \(shown) '\(field)' failed to satisfy constraint: Member must satisfy regular expression pattern: \(pattern). \(help)")
        }
    }

    private static func matches(_ value: String, _ pattern: String) -> Bool {
        guard let regex = try? Regex(pattern) else { return false }
        return (try? regex.wholeMatch(in: value)) != nil
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
