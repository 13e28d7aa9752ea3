import Foundation
import GRDB
import KeyStoreEngine
@testable import Simulator
import Testing

/// The hand-written `init(row:)` of each record reads back exactly what its `Encodable` side wrote: a new
/// column or property that one side forgets shows up here, not as a silently defaulted field.
@Suite("Records decoded by hand")
struct RecordRowTests {
    let now = Date(timeIntervalSince1970: 1_790_000_000.25)

    func roundTrip<Record: WorldRecord>(_ record: Record) throws -> (written: String, read: String) {
        let queue = try DatabaseQueue()
        try WorldSchema.migrator.migrate(queue)
        return try queue.write { db in
            try record.insert(db)
            let row = try #require(try Row.fetchOne(db, sql: "SELECT * FROM \(Record.databaseTableName)"))
            return (String(describing: record), String(describing: try Record(row: row)))
        }
    }

    @Test func everyHotRecordRoundTrips() throws {
        let records: [any WorldRecord] = [
            WorldInfoRecord(accountId: "111122223333", region: "eu-west-1", createdAt: now, accessKeyId: "AKIAEXAMPLE",
                            secretAccessKey: "secret"),
            ClusterRecord(id: "cluster-1", state: .active, vpcId: "vpc-1", securityGroup: "sg-1", sgRulesIntact: false,
                          networkBlocked: true, internalErrorPending: true, hsmType: "hsm2m.medium", lineage: "lin-1",
                          trustAnchor: "PEM", sourceBackupId: "backup-1", createdAt: now),
            HSMRecord(id: "hsm-1", clusterId: "cluster-1", availabilityZone: "eu-west-1a", subnetId: "subnet-1",
                      eniId: "eni-1", eniIp: "10.0.0.5", state: .degraded),
            KeyStoreRecord(id: "cks-1", name: "name", type: .awsCloudHSM, clusterId: "cluster-1", trustAnchor: nil,
                           password: "pw", state: .failed, errorCode: .userLockedOut, createdAt: now),
            KeyRecord(id: "key-1", arn: "arn:aws:kms:eu-west-1:111122223333:key/key-1", keyStoreId: nil, clusterId: nil,
                      description: "d", ownState: .pendingDeletion, createdAt: now, deletionDate: now.addingTimeInterval(7 * 86_400),
                      keyMaterial: Data([1, 2, 3])),
            KeyRecord(id: "key-2", arn: "arn:aws:kms:eu-west-1:111122223333:key/key-2", keyStoreId: "cks-2", clusterId: nil,
                      description: "", ownState: .enabled, createdAt: now, deletionDate: nil, keyMaterial: Data([4]),
                      xksKeyId: "external-key-7"),
            KeyUsageRecord(id: 7, keyId: "key-1", operation: "Decrypt", time: now),
            WorkflowRecord(keyStoreId: "cks-1", kind: .connect, step: .createNetworkInterface, subject: "subnet-1",
                           dueAt: now, startedAt: now.addingTimeInterval(-5), pace: .realistic),
        ]
        for record in records {
            let (written, read) = try roundTrip(record)
            #expect(written == read)
        }
    }

    @Test func anUnknownStateIsAnErrorNotACrash() throws {
        let queue = try DatabaseQueue()
        try WorldSchema.migrator.migrate(queue)
        try queue.write { db in
            try KeyStoreRecord(id: "cks-1", name: "n", type: .awsCloudHSM, clusterId: nil, trustAnchor: nil, password: "p",
                               state: .connected, errorCode: nil, createdAt: now).insert(db)
            try db.execute(sql: "UPDATE key_stores SET state = 'HALF_CONNECTED'")
            let row = try #require(try Row.fetchOne(db, sql: "SELECT * FROM key_stores"))
            #expect(throws: KMSError.self) { try KeyStoreRecord(row: row) }
        }
    }
}
