import KeyStoreEngine

/// How a simulated VPC endpoint service breaks KMS's requirements (XKS spec section 1.5): the Create or
/// Update exception it causes, and the ConnectionErrorCode a connect ends with.
public enum XKSEndpointServiceFault: String, Sendable, Codable, CaseIterable, Hashable {
    /// The service was deleted, or the name or Region is wrong.
    case notFound = "not-found"
    /// The service's allowed principals lack KMS (`cks.kms.<region>.amazonaws.com`).
    case kmsNotAllowed = "kms-not-allowed"
    /// Its private DNS name is not verified.
    case dnsUnverified = "dns-unverified"
    /// It requires acceptance of endpoint connections.
    case acceptanceRequired = "acceptance-required"
    /// Its load balancer has subnets in a single Availability Zone.
    case oneZone = "one-zone"

    /// XKS_VPC_ENDPOINT_SERVICE_NOT_FOUND or _INVALID_CONFIGURATION.
    public var connectionErrorCode: ConnectionErrorCode {
        switch self {
        case .notFound, .kmsNotAllowed: .xksVPCEndpointServiceNotFound
        case .dnsUnverified, .acceptanceRequired, .oneZone: .xksVPCEndpointServiceInvalidConfiguration
        }
    }

    /// What is wrong, for people, naming the service.
    public func explanation(service: String, region: String) -> String {
        switch self {
        case .notFound:
            "KMS cannot find the VPC endpoint service \(service) in \(region): it was deleted, or the name or Region is wrong."
        case .kmsNotAllowed:
            "The VPC endpoint service \(service) does not allow the principal cks.kms.\(region).amazonaws.com, so KMS cannot find it."
        case .dnsUnverified:
            "The private DNS name of the VPC endpoint service \(service) is not verified."
        case .acceptanceRequired:
            "The VPC endpoint service \(service) requires acceptance of endpoint connections; KMS needs it off."
        case .oneZone:
            "The load balancer of the VPC endpoint service \(service) has subnets in one Availability Zone; KMS needs at least two."
        }
    }

    /// The exception CreateCustomKeyStore and UpdateCustomKeyStore throw for it.
    public func keyStoreError(service: String, region: String) -> KMSError {
        let fix = " Fix the endpoint service (`cks sim xks-endpoint-service \(service) clear`), then try again."
        return switch connectionErrorCode {
        case .xksVPCEndpointServiceNotFound:
            KMSError(.xksProxyVpcEndpointServiceNotFound, explanation(service: service, region: region) + fix)
        default:
            KMSError(.xksProxyVpcEndpointServiceInvalidConfiguration, explanation(service: service, region: region) + fix)
        }
    }
}
