/// Why a custom key store is FAILED: the `ConnectionErrorCode` of DescribeCustomKeyStores.
public enum ConnectionErrorCode: String, Sendable, Codable, CaseIterable, Hashable {
    case internalError = "INTERNAL_ERROR"
    case networkErrors = "NETWORK_ERRORS"
    case clusterNotFound = "CLUSTER_NOT_FOUND"
    case insufficientCloudHSMHSMs = "INSUFFICIENT_CLOUDHSM_HSMS"
    case insufficientFreeAddressesInSubnet = "INSUFFICIENT_FREE_ADDRESSES_IN_SUBNET"
    case invalidCredentials = "INVALID_CREDENTIALS"
    case subnetNotFound = "SUBNET_NOT_FOUND"
    case userLockedOut = "USER_LOCKED_OUT"
    case userLoggedIn = "USER_LOGGED_IN"
    case userNotFound = "USER_NOT_FOUND"
    case xksProxyAccessDenied = "XKS_PROXY_ACCESS_DENIED"
    case xksProxyInvalidConfiguration = "XKS_PROXY_INVALID_CONFIGURATION"
    case xksProxyInvalidResponse = "XKS_PROXY_INVALID_RESPONSE"
    case xksProxyInvalidTLSConfiguration = "XKS_PROXY_INVALID_TLS_CONFIGURATION"
    case xksProxyNotReachable = "XKS_PROXY_NOT_REACHABLE"
    case xksProxyTimedOut = "XKS_PROXY_TIMED_OUT"
    case xksVPCEndpointServiceInvalidConfiguration = "XKS_VPC_ENDPOINT_SERVICE_INVALID_CONFIGURATION"
    case xksVPCEndpointServiceNotFound = "XKS_VPC_ENDPOINT_SERVICE_NOT_FOUND"

    /// The codes a CloudHSM key store can fail with.
    public static let cloudHSMCodes: [ConnectionErrorCode] = [
        .internalError, .networkErrors, .clusterNotFound, .insufficientCloudHSMHSMs,
        .insufficientFreeAddressesInSubnet, .invalidCredentials, .subnetNotFound,
        .userLockedOut, .userLoggedIn, .userNotFound,
    ]

    /// The codes an external key store can fail with.
    public static let externalCodes: [ConnectionErrorCode] = [
        .internalError, .networkErrors, .invalidCredentials, .xksProxyAccessDenied, .xksProxyInvalidConfiguration,
        .xksProxyInvalidResponse, .xksProxyInvalidTLSConfiguration, .xksProxyNotReachable, .xksProxyTimedOut,
        .xksVPCEndpointServiceInvalidConfiguration, .xksVPCEndpointServiceNotFound,
    ]

    /// The codes that only external key stores have (XKS_*).
    public static let xksOnlyCodes: [ConnectionErrorCode] = externalCodes.filter { $0.rawValue.hasPrefix("XKS_") }
}
