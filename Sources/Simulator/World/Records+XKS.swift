import Foundation
import GRDB
import KeyStoreEngine

extension KeyStoreRecord {
    /// What DescribeCustomKeyStores shows of an external key store's proxy settings (never the secret).
    var xksProxyConfiguration: XKSProxyConfiguration? {
        guard type == .externalKeyStore, let xksConnectivity, let xksUriEndpoint, let xksUriPath else { return nil }
        return XKSProxyConfiguration(connectivity: xksConnectivity, accessKeyId: xksAccessKeyId ?? "", uriEndpoint: xksUriEndpoint,
                                     uriPath: xksUriPath, vpcEndpointServiceName: xksVpcServiceName,
                                     vpcEndpointServiceOwner: xksVpcServiceOwner)
    }

    /// The credential KMS signs the store's proxy requests with.
    var xksCredential: XKSProxyCredential? {
        guard let xksAccessKeyId, let xksSecret else { return nil }
        return XKSProxyCredential(accessKeyId: xksAccessKeyId, rawSecretAccessKey: xksSecret)
    }

    /// The settings the store holds, in the shape of a create request.
    var xksSettings: XKSProxySettings? {
        guard let configuration = xksProxyConfiguration, let credential = xksCredential else { return nil }
        return XKSProxySettings(connectivity: configuration.connectivity, uriEndpoint: configuration.uriEndpoint,
                                uriPath: configuration.uriPath, credential: credential,
                                vpcEndpointServiceName: configuration.vpcEndpointServiceName,
                                vpcEndpointServiceOwner: configuration.vpcEndpointServiceOwner)
    }

    /// Replaces the proxy settings (VPC members only for VPC connectivity; `owner` fills a missing VPC owner).
    mutating func setXKS(_ settings: XKSProxySettings, defaultOwner owner: String) {
        let configuration = settings.configuration(defaultOwner: owner)
        xksConnectivity = configuration.connectivity
        xksUriEndpoint = configuration.uriEndpoint
        xksUriPath = configuration.uriPath
        xksAccessKeyId = settings.credential.accessKeyId
        xksSecret = settings.credential.rawSecretAccessKey
        xksVpcServiceName = configuration.vpcEndpointServiceName
        xksVpcServiceOwner = configuration.vpcEndpointServiceOwner
    }
}

/// Where the simulated KMS's connections to a proxy host go (`cks sim xks-route`): like curl's `--resolve`.
struct XKSRouteRecord: WorldRecord {
    static let databaseTableName = "xks_routes"
    /// Lower-case host name, as in an `XksProxyUriEndpoint`.
    var host: String
    /// `embedded`, or `ADDRESS:PORT`.
    var target: String
}

/// A fault of a simulated VPC endpoint service (`cks sim xks-endpoint-service`). A service without one exists
/// and is configured as KMS requires, with the store's host as its verified private DNS name.
struct XKSEndpointServiceFaultRecord: WorldRecord {
    static let databaseTableName = "xks_endpoint_service_faults"
    var name: String
    var fault: XKSEndpointServiceFault
}

/// An interface VPC endpoint or private hosted zone that KMS made for a VPC store's connection.
struct XKSVpcResourceRecord: WorldRecord {
    enum Kind: String, Codable, Sendable { case vpcEndpoint = "vpc-endpoint", hostedZone = "hosted-zone" }
    static let databaseTableName = "xks_vpc_resources"
    var id: String
    var keyStoreId: String
    var kind: Kind
    /// The endpoint service it connects to, or the zone's domain.
    var name: String
}

/// A store's last proxy health answer, and when the next periodic probe is due (CONNECTED stores only).
struct XKSHealthRecord: WorldRecord {
    static let databaseTableName = "xks_health"
    var keyStoreId: String
    var checkedAt: Date
    var kmsOperation: String
    var latency: Double
    /// `StoredHealthOutcome` as JSON.
    var outcome: String
    var nextProbeAt: Date?

    init(keyStoreId: String, health: XKSProxyHealth, nextProbeAt: Date?) {
        self.keyStoreId = keyStoreId
        checkedAt = health.checkedAt
        kmsOperation = health.kmsOperation
        latency = health.latency
        outcome = String(decoding: (try? JSONEncoder().encode(StoredHealthOutcome(health.outcome))) ?? Data("{}".utf8), as: UTF8.self)
        self.nextProbeAt = nextProbeAt
    }

    var health: XKSProxyHealth? {
        guard let stored = try? JSONDecoder().decode(StoredHealthOutcome.self, from: Data(outcome.utf8)),
              let outcome = stored.outcome else { return nil }
        return XKSProxyHealth(checkedAt: checkedAt, kmsOperation: kmsOperation, latency: latency, outcome: outcome)
    }
}

/// `XKSProxyHealth.Outcome` in the world file.
struct StoredHealthOutcome: Codable {
    struct Instance: Codable { var id: String; var model: String; var healthStatus: String }
    var fleetSize: Int?
    var proxyVendor: String?
    var proxyModel: String?
    var ekmVendor: String?
    var instances: [Instance]?
    var errorCode: ConnectionErrorCode?
    var detail: String?

    init(_ outcome: XKSProxyHealth.Outcome) {
        switch outcome {
        case let .answered(report):
            fleetSize = report.xksProxyFleetSize
            proxyVendor = report.xksProxyVendor
            proxyModel = report.xksProxyModel
            ekmVendor = report.ekmVendor
            instances = report.ekmFleetDetails.map { Instance(id: $0.id, model: $0.model, healthStatus: $0.healthStatus) }
        case let .failed(code, detail):
            errorCode = code
            self.detail = detail
        }
    }

    var outcome: XKSProxyHealth.Outcome? {
        if let errorCode { return .failed(code: errorCode, detail: detail ?? "") }
        guard let fleetSize, let instances else { return nil }
        return .answered(XKSProxyHealth.Report(
            xksProxyFleetSize: fleetSize, xksProxyVendor: proxyVendor ?? "", xksProxyModel: proxyModel ?? "",
            ekmVendor: ekmVendor ?? "",
            ekmFleetDetails: instances.map { XKSProxyHealth.KeyManagerInstance(id: $0.id, model: $0.model, healthStatus: $0.healthStatus) }))
    }
}
