import Foundation

extension CloudHSMCluster {
    /// The cluster as CloudHSMv2 DescribeClusters returns it (and `aws cloudhsmv2 describe-clusters` prints it).
    public var apiJSON: JSONValue {
        var fields: [(String, JSONValue)] = [
            ("BackupPolicy", .string("DEFAULT")),
            ("BackupRetentionPolicy", .object([("Type", .string("DAYS")), ("Value", .string("90"))])),
            ("ClusterId", .string(id)),
            ("CreateTimestamp", .number(createTimestamp.kmsEpochSeconds)),
            ("Hsms", .array(hsms.filter { $0.state != .deleted }.map { hsm in
                .object([
                    ("AvailabilityZone", .string(hsm.availabilityZone)),
                    ("ClusterId", .string(id)),
                    ("SubnetId", .string(hsm.subnetId)),
                    ("EniId", .string(hsm.eniId)),
                    ("EniIp", .string(hsm.eniIp)),
                    ("HsmId", .string(hsm.id)),
                    ("State", .string(hsm.state.rawValue)),
                ])
            })),
            ("HsmType", .string(hsmType)),
            ("SecurityGroup", .string(securityGroup)),
            ("State", .string(state.rawValue)),
            ("SubnetMapping", .object(subnets.map { ($0.availabilityZone, .string($0.id)) })),
            ("VpcId", .string(vpcId)),
            ("NetworkType", .string("IPV4")),
            ("Mode", .string("FIPS")),
        ]
        if let trustAnchorCertificate, state != .uninitialized {
            fields.append(("Certificates", .object([("ClusterCertificate", .string(trustAnchorCertificate))])))
        }
        return .object(fields)
    }
}
