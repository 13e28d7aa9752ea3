import Foundation
import GRDB
import KeyStoreEngine

/// The invariants a world must hold once every workflow has ended, checked from the file itself. Each
/// violation is one line that names the store or resource.
public struct WorldChecks {
    public let world: WorldFile
    public let baseline: WorldBaseline

    public init(world: WorldFile, baseline: WorldBaseline) {
        self.world = world
        self.baseline = baseline
    }

    /// Every problem found (empty when the world is sound).
    public func problems() throws -> [String] {
        try world.read { db in
            var problems: [String] = []
            let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check")
            if integrity != ["ok"] { problems.append("integrity_check: \(integrity.prefix(3).joined(separator: "; "))") }
            let stores = try world.stores(db)
            problems += storesRemain(stores)
            problems += try nothingTransient(stores, db)
            problems += try transitionsAreLegal(stores, db)
            problems += try resourcesOnce(db)
            problems += try resourcesMatchStates(stores, db)
            problems += try addressesAddUp(db)
            return problems
        }
    }

    /// Every store of the baseline is still there.
    func storesRemain(_ stores: [StoreRow]) -> [String] {
        let now = Set(stores.map(\.id))
        return baseline.storeIds.subtracting(now).sorted().map { "store \($0) is gone" }
    }

    /// No store is CONNECTING or DISCONNECTING, and no workflow row is left.
    func nothingTransient(_ stores: [StoreRow], _ db: Database) throws -> [String] {
        var problems = stores.filter(\.state.isTransient).map { "store \($0.name) is stuck in \($0.state.rawValue)" }
        for row in try Row.fetchAll(db, sql: "SELECT key_store_id, kind, step FROM workflows") {
            problems.append("a \(row[1] as String) workflow of \(row[0] as String) is left at step \(row[2] as String)")
        }
        return problems
    }

    /// Each change of state follows the last one and is allowed by the rules; the last one is the store's state.
    func transitionsAreLegal(_ stores: [StoreRow], _ db: Database) throws -> [String] {
        var problems: [String] = []
        var last: [String: ConnectionState] = [:]
        for event in try world.events(db) {
            guard let kind = event.kind else {
                problems.append("event \(event.sequence) cannot be decoded")
                continue
            }
            guard let store = event.storeId else { continue }
            switch kind {
            case .keyStoreCreated:
                last[store] = .disconnected
            case let .connectionStateChanged(from, to, _):
                if let previous = last[store], previous != from {
                    problems.append("event \(event.sequence): \(store) went \(from.rawValue) → \(to.rawValue) but was \(previous.rawValue)")
                }
                if !ConnectionTransitions.isLegal(from: from, to: to) {
                    problems.append("event \(event.sequence): \(store) made an illegal transition \(from.rawValue) → \(to.rawValue)")
                }
                last[store] = to
            default:
                break
            }
        }
        for store in stores {
            if let final = last[store.id], final != store.state {
                problems.append("\(store.name) is \(store.state.rawValue) but its history ends in \(final.rawValue)")
            }
        }
        return problems
    }

    /// No security group or ENI was created twice or deleted twice; every deletion removed something that
    /// existed; what the history leaves alive is exactly what the world holds.
    func resourcesOnce(_ db: Database) throws -> [String] {
        var created: [String: Int] = [:]
        var deleted: [String: Int] = [:]
        for event in try world.events(db) {
            guard case let .stepFinished(step, resource?) = event.kind else { continue }
            switch step {
            case .createSecurityGroup, .createNetworkInterface: created[resource.id, default: 0] += 1
            case .deleteSecurityGroup, .deleteNetworkInterface: deleted[resource.id, default: 0] += 1
            default: break
            }
        }
        var problems = created.filter { $0.value > 1 }.keys.sorted().map { "\($0) was created \(created[$0]!) times" }
        problems += deleted.filter { $0.value > 1 }.keys.sorted().map { "\($0) was deleted \(deleted[$0]!) times" }
        let known = baseline.resourceIds.union(created.keys)
        problems += deleted.keys.filter { !known.contains($0) }.sorted().map { "\($0) was deleted but never existed" }
        let alive = known.subtracting(deleted.keys)
        let present = Set(try String.fetchAll(db, sql: "SELECT id FROM security_groups UNION ALL SELECT id FROM network_interfaces"))
        problems += alive.subtracting(present).sorted().map { "\($0) is alive in the history but missing from the world" }
        problems += present.subtracting(alive).sorted().map { "\($0) is in the world but its creation is not in the history" }
        return problems
    }

    /// An external key store's simulated VPC resources: one interface endpoint and one private hosted zone while
    /// it is CONNECTED through a VPC endpoint service, none otherwise (a connect or disconnect still running
    /// may hold some).
    func vpcResourcesMatchState(_ store: StoreRow, _ db: Database) throws -> [String] {
        let kinds = try String.fetchAll(db, sql: "SELECT kind FROM xks_vpc_resources WHERE key_store_id = ? ORDER BY kind",
                                        arguments: [store.id])
        let vpc = try String.fetchOne(db, sql: "SELECT xks_connectivity FROM key_stores WHERE id = ?", arguments: [store.id])
            == "VPC_ENDPOINT_SERVICE"
        switch store.state {
        case .connected where vpc:
            return kinds == ["hosted-zone", "vpc-endpoint"] ? []
                : ["\(store.name) is CONNECTED through a VPC endpoint service with VPC resources \(kinds) instead of one endpoint and one hosted zone"]
        case .connecting, .disconnecting:
            return []
        default:
            return kinds.isEmpty ? [] : ["\(store.name) is \(store.state.rawValue)\(vpc ? "" : " (public endpoint)") but holds VPC resources \(kinds)"]
        }
    }

    /// DISCONNECTED and FAILED stores hold no network resources; a CONNECTED CloudHSM store holds one security
    /// group and one ENI, in that group, in each subnet of its cluster; an external key store holds no security
    /// group or ENI, and only a CONNECTED one with VPC endpoint service connectivity holds an interface endpoint
    /// and a private hosted zone, one each; nothing belongs to a store that is gone.
    func resourcesMatchStates(_ stores: [StoreRow], _ db: Database) throws -> [String] {
        var problems: [String] = []
        for store in stores {
            let groups = try String.fetchAll(db, sql: "SELECT id FROM security_groups WHERE key_store_id = ?", arguments: [store.id])
            let enis = try Row.fetchAll(db, sql: "SELECT id, subnet_id, security_group_id FROM network_interfaces WHERE key_store_id = ?",
                                        arguments: [store.id])
            if store.clusterId == nil {
                if !groups.isEmpty || !enis.isEmpty {
                    problems.append("\(store.name) is an external key store but holds \(groups.count) security group(s) and \(enis.count) ENI(s)")
                }
                problems += try vpcResourcesMatchState(store, db)
                continue
            }
            switch store.state {
            case .disconnected, .failed:
                if !groups.isEmpty || !enis.isEmpty {
                    problems.append("\(store.name) is \(store.state.rawValue) but holds \(groups.count) security group(s) and \(enis.count) ENI(s)")
                }
            case .connected:
                if groups.count != 1 { problems.append("\(store.name) is CONNECTED with \(groups.count) security groups") }
                let subnets = try String.fetchAll(db, sql: "SELECT id FROM subnets WHERE cluster_id = ? AND deleted = 0 ORDER BY id",
                                                  arguments: [store.clusterId])
                let eniSubnets = enis.map { $0[1] as String }.sorted()
                if eniSubnets != subnets {
                    problems.append("\(store.name) is CONNECTED with ENIs in \(eniSubnets) instead of one in each of \(subnets)")
                }
                if let group = groups.first, enis.contains(where: { ($0[2] as String) != group }) {
                    problems.append("\(store.name) has an ENI outside its security group \(group)")
                }
            case .connecting, .disconnecting:
                break
            }
        }
        let orphanVpcResources = try String.fetchAll(db, sql: """
            SELECT id FROM xks_vpc_resources WHERE key_store_id NOT IN (SELECT id FROM key_stores) ORDER BY id
            """)
        problems += orphanVpcResources.map { "\($0) is an orphan: its external key store is gone" }
        let orphans = try String.fetchAll(db, sql: """
            SELECT id FROM security_groups WHERE key_store_id NOT IN (SELECT id FROM key_stores)
            UNION ALL SELECT id FROM network_interfaces WHERE key_store_id NOT IN (SELECT id FROM key_stores)
            UNION ALL SELECT id FROM network_interfaces WHERE security_group_id NOT IN (SELECT id FROM security_groups)
            """)
        problems += orphans.map { "\($0) is an orphan (its store or security group is gone)" }
        return problems
    }

    /// Per subnet, free addresses plus ENIs are what they were, and free addresses are never negative.
    func addressesAddUp(_ db: Database) throws -> [String] {
        var problems: [String] = []
        let now = try WorldBaseline.addresses(db)
        for (subnet, before) in baseline.addressesBySubnet.sorted(by: { $0.key < $1.key }) where now[subnet] != before {
            problems.append("subnet \(subnet): free addresses plus ENIs went from \(before) to \(now[subnet].map(String.init) ?? "nothing")")
        }
        for subnet in try String.fetchAll(db, sql: "SELECT id FROM subnets WHERE free_addresses < 0") {
            problems.append("subnet \(subnet) has fewer than zero free addresses")
        }
        return problems
    }

    /// How many workflows started since the baseline.
    public func workflowsStarted() throws -> Int {
        try world.read { db in
            try world.events(after: baseline.lastSequence, db).filter {
                if case .workflowStarted = $0.kind { true } else { false }
            }.count
        }
    }
}
