import Foundation
import GRDB
import KeyStoreEngine

// Rows read by every request decode by hand: GRDB's Decodable path converts each column name from snake case
// and goes through a Decoder, which cost more than the SQLite query itself in `cks serve`'s profile.

extension Row {
    func date(_ column: String) throws -> Date {
        Date(timeIntervalSince1970: try decode(Double.self, forColumn: column))
    }

    func enumeration<Value: RawRepresentable>(_ column: String, as type: Value.Type = Value.self) throws -> Value
    where Value.RawValue == String {
        try Self.value(try decode(String.self, forColumn: column), place: "column \(column)")
    }

    func enumeration<Value: RawRepresentable>(atIndex index: Int, as type: Value.Type = Value.self) throws -> Value
    where Value.RawValue == String {
        try Self.value(try decode(String.self, atIndex: index), place: "column \(index + 1)")
    }

    private static func value<Value: RawRepresentable>(_ raw: String, place: String) throws -> Value
    where Value.RawValue == String {
        guard let value = Value(rawValue: raw) else {
            throw KMSError(.kmsInternal, "The world file holds an unknown \(Value.self) '\(raw)' in \(place).")
        }
        return value
    }

    func optionalEnumeration<Value: RawRepresentable>(_ column: String, as type: Value.Type = Value.self) throws -> Value?
    where Value.RawValue == String {
        guard try decode(String?.self, forColumn: column) != nil else { return nil }
        return try enumeration(column, as: type)
    }
}

extension WorldInfoRecord {
    init(row: Row) throws {
        self.init(id: try row.decode(forColumn: "id"), accountId: try row.decode(forColumn: "account_id"),
                  region: try row.decode(forColumn: "region"), createdAt: try row.date("created_at"),
                  accessKeyId: try row.decode(forColumn: "access_key_id"),
                  secretAccessKey: try row.decode(forColumn: "secret_access_key"),
                  keyStoreQuota: try row.decode(forColumn: "key_store_quota"))
    }
}

extension ClusterRecord {
    init(row: Row) throws {
        self.init(id: try row.decode(forColumn: "id"), state: try row.enumeration("state"),
                  vpcId: try row.decode(forColumn: "vpc_id"), securityGroup: try row.decode(forColumn: "security_group"),
                  sgRulesIntact: try row.decode(forColumn: "sg_rules_intact"),
                  networkBlocked: try row.decode(forColumn: "network_blocked"),
                  internalErrorPending: try row.decode(forColumn: "internal_error_pending"),
                  hsmType: try row.decode(forColumn: "hsm_type"), lineage: try row.decode(forColumn: "lineage"),
                  trustAnchor: try row.decode(forColumn: "trust_anchor"),
                  sourceBackupId: try row.decode(forColumn: "source_backup_id"), createdAt: try row.date("created_at"))
    }
}

extension HSMRecord {
    init(row: Row) throws {
        self.init(id: try row.decode(forColumn: "id"), clusterId: try row.decode(forColumn: "cluster_id"),
                  availabilityZone: try row.decode(forColumn: "availability_zone"),
                  subnetId: try row.decode(forColumn: "subnet_id"), eniId: try row.decode(forColumn: "eni_id"),
                  eniIp: try row.decode(forColumn: "eni_ip"), state: try row.enumeration("state"))
    }
}

extension KeyStoreRecord {
    init(row: Row) throws {
        self.init(id: try row.decode(forColumn: "id"), name: try row.decode(forColumn: "name"),
                  type: try row.enumeration("type"), clusterId: try row.decode(forColumn: "cluster_id"),
                  trustAnchor: try row.decode(forColumn: "trust_anchor"), password: try row.decode(forColumn: "password"),
                  state: try row.enumeration("state"), errorCode: try row.optionalEnumeration("error_code"),
                  createdAt: try row.date("created_at"),
                  xksConnectivity: try row.optionalEnumeration("xks_connectivity"),
                  xksUriEndpoint: try row.decode(forColumn: "xks_uri_endpoint"), xksUriPath: try row.decode(forColumn: "xks_uri_path"),
                  xksAccessKeyId: try row.decode(forColumn: "xks_access_key_id"), xksSecret: try row.decode(forColumn: "xks_secret"),
                  xksVpcServiceName: try row.decode(forColumn: "xks_vpc_service_name"),
                  xksVpcServiceOwner: try row.decode(forColumn: "xks_vpc_service_owner"),
                  internalErrorPending: try row.decode(forColumn: "internal_error_pending"))
    }
}

extension KeyRecord {
    /// Every cryptographic call reads a key: its columns are read by position, in the table's order (what
    /// `SELECT *` and GRDB's record requests return; RecordRowTests checks it). Looking a column up by name
    /// built a name table for each row.
    init(row: Row) throws {
        guard row.count == 9 else { throw KMSError(.kmsInternal, "A kms_keys row has \(row.count) columns, not 9.") }
        self.init(id: try row.decode(atIndex: 0), arn: try row.decode(atIndex: 1),
                  keyStoreId: try row.decode(atIndex: 2), clusterId: try row.decode(atIndex: 3),
                  description: try row.decode(atIndex: 4), ownState: try row.enumeration(atIndex: 5),
                  createdAt: Date(timeIntervalSince1970: try row.decode(Double.self, atIndex: 6)),
                  deletionDate: try row.decode(Double?.self, atIndex: 7).map(Date.init(timeIntervalSince1970:)),
                  keyMaterial: try row.decode(atIndex: 8))
    }
}

extension KeyUsageRecord {
    init(row: Row) throws {
        self.init(id: try row.decode(forColumn: "id"), keyId: try row.decode(forColumn: "key_id"),
                  operation: try row.decode(forColumn: "operation"), time: try row.date("time"))
    }
}

extension WorkflowRecord {
    init(row: Row) throws {
        self.init(keyStoreId: try row.decode(forColumn: "key_store_id"), kind: try row.enumeration("kind"),
                  step: try row.enumeration("step"), subject: try row.decode(forColumn: "subject"),
                  dueAt: try row.date("due_at"), startedAt: try row.date("started_at"), pace: try row.enumeration("pace"))
    }
}
