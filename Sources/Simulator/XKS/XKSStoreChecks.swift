import Foundation
import GRDB
import KeyStoreEngine

/// The checks KMS makes on an external key store's settings inside Create and Update, before any proxy call:
/// the uniqueness rules (XKS spec section 1.2) and the VPC endpoint service (section 1.5).
struct XKSStoreChecks {
    let tx: WorldTransaction

    /// The uniqueness rules against every other external key store of the account and Region.
    func requireUnique(_ settings: XKSProxySettings, except storeId: String?) throws {
        let host = Self.host(of: settings.uriEndpoint)
        let others = try tx.keyStores().filter { $0.type == .externalKeyStore && $0.id != storeId }
        if let other = others.first(where: { $0.xksUriEndpoint.map(Self.host) == host && $0.xksUriPath == settings.uriPath }) {
            throw KMSError(.xksProxyUriInUse,
                           "The proxy URI endpoint \(settings.uriEndpoint) with path \(settings.uriPath) is already used by external key store \(other.name) (\(other.id)). Each store needs its own endpoint and path: give another URI path (a proxy serves several stores under different path prefixes).")
        }
        switch settings.connectivity {
        case .publicEndpoint:
            if let other = others.first(where: { $0.xksConnectivity == .vpcEndpointService && $0.xksUriEndpoint.map(Self.host) == host }) {
                throw KMSError(.xksProxyUriEndpointInUse,
                               "The proxy URI endpoint \(settings.uriEndpoint) is the private DNS name of VPC endpoint service store \(other.name) (\(other.id)). A public endpoint cannot use an endpoint that a VPC store uses; give another endpoint.")
            }
        case .vpcEndpointService:
            if let other = others.first(where: { $0.xksUriEndpoint.map(Self.host) == host }) {
                throw KMSError(.xksProxyUriEndpointInUse,
                               "The proxy URI endpoint \(settings.uriEndpoint) is already used by external key store \(other.name) (\(other.id)). Each VPC endpoint service store needs its own private DNS name; give another endpoint.")
            }
            if let service = settings.vpcEndpointServiceName,
               let other = others.first(where: { $0.xksVpcServiceName == service }) {
                throw KMSError(.xksProxyVpcEndpointServiceInUse,
                               "The VPC endpoint service \(service) is already used by external key store \(other.name) (\(other.id)). Each VPC store needs its own endpoint service.")
            }
        }
    }

    /// A VPC store's endpoint service must exist and meet KMS's requirements.
    func requireUsableEndpointService(_ settings: XKSProxySettings) throws {
        guard settings.connectivity == .vpcEndpointService, let service = settings.vpcEndpointServiceName else { return }
        if let fault = try endpointServiceFault(service) {
            throw fault.keyStoreError(service: service, region: try tx.info().region)
        }
    }

    func endpointServiceFault(_ service: String) throws -> XKSEndpointServiceFault? {
        try XKSEndpointServiceFaultRecord.fetchOne(tx.db, key: service)?.fault
    }

    /// The quota of custom key stores of both types.
    func requireQuota() throws {
        let count = try KeyStoreRecord.fetchCount(tx.db)
        let quota = try tx.info().keyStoreQuota
        guard count < quota else {
            throw KMSError(.limitExceeded,
                           "This account already has \(count) custom key stores in this Region, the quota of \(quota) (AWS CloudHSM and external key stores together). Delete one you no longer need.")
        }
    }

    /// `xks.example.com` for `https://XKS.example.com`.
    static func host(of endpoint: String) -> String {
        let host = endpoint.hasPrefix("https://") ? String(endpoint.dropFirst("https://".count)) : endpoint
        return host.lowercased()
    }
}
