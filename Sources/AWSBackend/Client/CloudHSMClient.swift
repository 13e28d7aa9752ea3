import Foundation
import KeyStoreEngine

/// CloudHSMv2 DescribeClusters, for the cluster view and the connect preflight.
public struct CloudHSMClient: Sendable {
    public var json: AWSJSONClient

    public init(json: AWSJSONClient) {
        self.json = json
    }

    /// Every cluster (or only `clusterIds`), following NextToken.
    public func describeClusters(clusterIds: [String]? = nil) async throws(KMSError) -> [CloudHSMCluster] {
        var clusters: [CloudHSMCluster] = []
        var token: String?
        repeat {
            var body: [(String, JSONValue)] = []
            if let clusterIds { body.append(("Filters", .object([("clusterIds", .array(clusterIds.map(JSONValue.string)))]))) }
            if let token { body.append(("NextToken", .string(token))) }
            let answer = try await json.call("DescribeClusters", .object(body))
            for entry in answer["Clusters"]?.arrayValue ?? [] {
                clusters.append(try CloudHSMCluster(describeClustersEntry: entry))
            }
            token = answer["NextToken"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        } while token != nil
        return clusters
    }
}

extension CloudHSMCluster {
    /// Reads a `Cluster` of DescribeClusters. The trust anchor stays unknown: DescribeClusters returns the
    /// cluster's certificates, never the customer's customerCA.crt.
    public init(describeClustersEntry json: JSONValue) throws(KMSError) {
        guard let id = json["ClusterId"]?.stringValue else {
            throw KMSError(.serialization, "A DescribeClusters entry lacks its ClusterId.")
        }
        guard let stateName = json["State"]?.stringValue, let state = State(rawValue: stateName) else {
            throw KMSError(.serialization, "Cluster \(id) has a State cks does not know: \(json["State"]?.stringValue ?? "none").")
        }
        let hsms = (json["Hsms"]?.arrayValue ?? []).compactMap { hsm -> HSM? in
            guard let hsmId = hsm["HsmId"]?.stringValue else { return nil }
            return HSM(id: hsmId, availabilityZone: hsm["AvailabilityZone"]?.stringValue ?? "",
                       subnetId: hsm["SubnetId"]?.stringValue ?? "", eniId: hsm["EniId"]?.stringValue ?? "",
                       eniIp: hsm["EniIp"]?.stringValue ?? "",
                       state: hsm["State"]?.stringValue.flatMap(HSM.State.init(rawValue:)) ?? .degraded)
        }
        let subnets = (json["SubnetMapping"]?.objectValue ?? []).compactMap { zone, subnet -> Subnet? in
            subnet.stringValue.map { Subnet(id: $0, availabilityZone: zone, cidrBlock: "", freeAddresses: nil) }
        }
        self.init(
            id: id, state: state, vpcId: json["VpcId"]?.stringValue ?? "",
            securityGroup: json["SecurityGroup"]?.stringValue ?? "", hsmType: json["HsmType"]?.stringValue ?? "",
            hsms: hsms, subnets: subnets,
            createTimestamp: AWSTimestamp.parse(json["CreateTimestamp"]) ?? Date(timeIntervalSince1970: 0)
        )
    }
}
