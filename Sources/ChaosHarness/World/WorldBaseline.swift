import Foundation
import GRDB

/// What the world held before the run, for the checks that compare: its stores, its network resources, the
/// addresses of each subnet (free plus lent to an ENI), and the last event.
public struct WorldBaseline: Sendable {
    public var storeIds: Set<String>
    public var resourceIds: Set<String>
    /// Per subnet: free addresses plus the ENIs in it. A run moves addresses between the two, never changes the sum.
    public var addressesBySubnet: [String: Int]
    public var lastSequence: Int64

    public static func read(_ world: WorldFile) throws -> WorldBaseline {
        try world.read { db in
            WorldBaseline(
                storeIds: Set(try String.fetchAll(db, sql: "SELECT id FROM key_stores")),
                resourceIds: Set(try String.fetchAll(db, sql: "SELECT id FROM security_groups UNION ALL SELECT id FROM network_interfaces")),
                addressesBySubnet: try addresses(db),
                lastSequence: try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(sequence), 0) FROM events") ?? 0
            )
        }
    }

    /// Free addresses plus ENIs, per subnet.
    static func addresses(_ db: Database) throws -> [String: Int] {
        let rows = try Row.fetchAll(db, sql: """
            SELECT s.id, s.free_addresses + (SELECT COUNT(*) FROM network_interfaces n WHERE n.subnet_id = s.id)
            FROM subnets s
            """)
        return Dictionary(uniqueKeysWithValues: rows.map { ($0[0] as String, $0[1] as Int) })
    }
}
