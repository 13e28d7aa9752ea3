import KeyStoreEngine

/// A column of the store table, which is also a sort key.
public enum SortColumn: String, Sendable, CaseIterable, Hashable {
    case name, id, type, cluster, hsms, connectivity, endpoint, path, state, created

    /// The columns a tab can show, in display order (the KMS console's columns for that store type).
    static func columns(of type: CustomKeyStoreType) -> [SortColumn] {
        switch type {
        case .awsCloudHSM: [.name, .id, .cluster, .hsms, .state, .created]
        case .externalKeyStore: [.name, .id, .connectivity, .endpoint, .path, .state, .created]
        }
    }

    /// The column heading.
    var title: String {
        switch self {
        case .name: "NAME"
        case .id: "ID"
        case .type: "TYPE"
        case .cluster: "CLUSTER"
        case .hsms: "HSMS"
        case .connectivity: "CONNECTIVITY"
        case .endpoint: "URI ENDPOINT"
        case .path: "URI PATH"
        case .state: "CONNECTION STATE"
        case .created: "CREATED"
        }
    }

    /// The column a `:sort` argument names ("state", "created", "hsm", …).
    init?(argument: String) {
        let word = argument.lowercased()
        let aliases: [String: SortColumn] = [
            "name": .name, "id": .id, "type": .type, "cluster": .cluster, "clusterid": .cluster,
            "hsm": .hsms, "hsms": .hsms, "state": .state, "status": .state, "connection": .state,
            "created": .created, "date": .created, "creation": .created, "age": .created,
            "connectivity": .connectivity, "endpoint": .endpoint, "uri": .endpoint, "host": .endpoint, "path": .path,
        ]
        guard let column = aliases[word] else { return nil }
        self = column
    }
}

/// How the table is sorted.
public struct SortOrder: Sendable, Hashable {
    public var column: SortColumn
    public var ascending: Bool

    public init(column: SortColumn = .name, ascending: Bool = true) {
        self.column = column
        self.ascending = ascending
    }
}

/// The table of one type of stores (one tab of the page): sort, filter, selection, scroll, and the visible
/// order derived from them.
public struct StoreTable: Sendable, Equatable {
    /// The stores this table shows: those of this type.
    public let type: CustomKeyStoreType
    public var sort = SortOrder()
    public var filter = ""
    public var selectedId: String?
    /// The index of the first visible row.
    public var scrollTop = 0
    /// The IDs of the stores shown, filtered and sorted; kept up to date by the reducer.
    public private(set) var order: [String] = []
    /// Where each shown store is in `order`.
    private var positions: [String: Int] = [:]
    /// What the view needs of every store, measured once per change rather than once per frame.
    private(set) var measures = Measures()

    /// Widths of the widest values of the shown stores, how many stores of every type are in each state, and
    /// how many of this table's type there are (and FAILED), for its tab.
    struct Measures: Sendable, Equatable {
        var name = 0
        var badge = 0
        var cluster = 0
        var endpoint = 0
        var path = 0
        var counts: [ConnectionState: Int] = [:]
        var total = 0
        var failed = 0
    }

    public init(type: CustomKeyStoreType = .awsCloudHSM) {
        self.type = type
    }

    var selectedIndex: Int? {
        selectedId.flatMap { positions[$0] }
    }

    /// Rebuilds `order` and keeps the selection on the same store when it is still shown.
    mutating func rebuild(stores: [String: CustomKeyStore], clusters: [String: CloudHSMCluster]) {
        let previousIndex = selectedIndex ?? 0
        let needle = filter.lowercased()
        let shown = stores.values.filter { $0.type == type && (needle.isEmpty || Self.matches($0, needle)) }
        order = shown.sorted { a, b in
            let ordered = Self.compare(a, b, by: sort.column, clusters: clusters)
            if ordered != .same { return sort.ascending ? ordered == .before : ordered == .after }
            return a.id < b.id
        }.map(\.id)
        positions = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        measure(shown, all: stores.values, clusters: clusters)
        if let selectedId, positions[selectedId] != nil { return }
        selectedId = order.isEmpty ? nil : order[min(previousIndex, order.count - 1)]
    }

    /// One store's connection state changed: when that cannot move it in the table, only the measures
    /// change (an event must not sort 10,000 rows); otherwise the table is rebuilt.
    mutating func connectionChanged(from old: CustomKeyStore, to new: CustomKeyStore, stores: [String: CustomKeyStore],
                                    clusters: [String: CloudHSMCluster]) {
        guard new.type == type else {
            measures.counts[old.connectionState, default: 1] -= 1
            measures.counts[new.connectionState, default: 0] += 1
            return
        }
        let needle = filter.lowercased()
        let staysPut = sort.column != .state && (needle.isEmpty || Self.matches(old, needle) == Self.matches(new, needle))
        guard staysPut else {
            rebuild(stores: stores, clusters: clusters)
            return
        }
        measures.counts[old.connectionState, default: 1] -= 1
        measures.counts[new.connectionState, default: 0] += 1
        measures.failed += (new.connectionState == .failed ? 1 : 0) - (old.connectionState == .failed ? 1 : 0)
        if positions[new.id] != nil {
            measures.badge = max(measures.badge, Self.badgeWidth(new, clusters))
        }
    }

    /// The clusters changed: only the widths can change, unless the table is sorted by its HSM count.
    mutating func clustersChanged(stores: [String: CustomKeyStore], clusters: [String: CloudHSMCluster]) {
        if sort.column == .hsms {
            rebuild(stores: stores, clusters: clusters)
        } else {
            measure(order.compactMap { stores[$0] }, all: stores.values, clusters: clusters)
        }
    }

    /// Columns of the state cell: the badge, the error code, and a warning about the cluster.
    private static func badgeWidth(_ store: CustomKeyStore, _ clusters: [String: CloudHSMCluster]) -> Int {
        let code = store.connectionErrorCode.map { 2 + $0.rawValue.count } ?? 0
        let warning = ClusterFacts.warning(store, clusters).map { TextWidth.of(ClusterFacts.warningText($0, glyphs: .unicode)) } ?? 0
        return 2 + store.connectionState.rawValue.count + code + warning
    }

    private mutating func measure(_ shown: [CustomKeyStore], all: some Collection<CustomKeyStore>, clusters: [String: CloudHSMCluster]) {
        var measures = Measures()
        for store in shown {
            measures.name = max(measures.name, TextWidth.of(store.name))
            measures.cluster = max(measures.cluster, TextWidth.of(store.cloudHsmClusterId ?? ""))
            measures.badge = max(measures.badge, Self.badgeWidth(store, clusters))
            if let proxy = store.xksProxyConfiguration {
                measures.endpoint = max(measures.endpoint, TextWidth.of(proxy.uriEndpoint))
                measures.path = max(measures.path, TextWidth.of(proxy.uriPath))
            }
        }
        for store in all {
            measures.counts[store.connectionState, default: 0] += 1
            guard store.type == type else { continue }
            measures.total += 1
            if store.connectionState == .failed { measures.failed += 1 }
        }
        self.measures = measures
    }

    /// True when a store matches a lower-cased filter: by name, ID, cluster, proxy endpoint or path, state or
    /// error code.
    static func matches(_ store: CustomKeyStore, _ needle: String) -> Bool {
        let proxy = store.xksProxyConfiguration
        let fields = [
            store.name, store.id, store.cloudHsmClusterId ?? "", store.connectionState.rawValue,
            store.connectionErrorCode?.rawValue ?? "", store.type.displayName,
            proxy?.uriEndpoint ?? "", proxy?.uriPath ?? "", proxy?.connectivity.displayName ?? "",
        ]
        return fields.contains { $0.lowercased().contains(needle) }
    }

    private enum Ordering { case before, same, after }

    private static func compare(_ a: CustomKeyStore, _ b: CustomKeyStore, by column: SortColumn,
                                clusters: [String: CloudHSMCluster]) -> Ordering {
        func order<T: Comparable>(_ x: T, _ y: T) -> Ordering { x < y ? .before : (y < x ? .after : .same) }
        switch column {
        case .name: return order(a.name.lowercased(), b.name.lowercased())
        case .id: return order(a.id, b.id)
        case .type: return order(a.type.displayName, b.type.displayName)
        case .cluster: return order(a.cloudHsmClusterId ?? "", b.cloudHsmClusterId ?? "")
        case .hsms: return order(ClusterFacts.hsmCount(a, clusters) ?? -1, ClusterFacts.hsmCount(b, clusters) ?? -1)
        case .connectivity:
            return order(a.xksProxyConfiguration?.connectivity.rawValue ?? "", b.xksProxyConfiguration?.connectivity.rawValue ?? "")
        case .endpoint: return order(a.xksProxyConfiguration?.host ?? "", b.xksProxyConfiguration?.host ?? "")
        case .path: return order(a.xksProxyConfiguration?.uriPath ?? "", b.xksProxyConfiguration?.uriPath ?? "")
        case .state: return order(stateRank(a), stateRank(b))
        case .created: return order(a.creationDate, b.creationDate)
        }
    }

    /// FAILED first: the states that need attention come before the calm ones.
    private static func stateRank(_ store: CustomKeyStore) -> String {
        let rank: Int = switch store.connectionState {
        case .failed: 0
        case .connecting: 1
        case .disconnecting: 2
        case .connected: 3
        case .disconnected: 4
        }
        return "\(rank)\(store.connectionErrorCode?.rawValue ?? "")"
    }
}
