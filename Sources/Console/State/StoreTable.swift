import KeyStoreEngine

/// A column of the store table, which is also a sort key.
public enum SortColumn: String, Sendable, CaseIterable, Hashable {
    case name, id, type, cluster, hsms, state, created

    /// The column heading.
    var title: String {
        switch self {
        case .name: "NAME"
        case .id: "ID"
        case .type: "TYPE"
        case .cluster: "CLUSTER"
        case .hsms: "HSMS"
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

/// The table of stores: sort, filter, selection, scroll, and the visible order derived from them.
public struct StoreTable: Sendable, Equatable {
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

    /// Widths of the widest values of the shown stores, and how many stores are in each state.
    struct Measures: Sendable, Equatable {
        var name = 0
        var badge = 0
        var cluster = 0
        var counts: [ConnectionState: Int] = [:]
    }

    public init() {}

    var selectedIndex: Int? {
        selectedId.flatMap { positions[$0] }
    }

    /// Rebuilds `order` and keeps the selection on the same store when it is still shown.
    mutating func rebuild(stores: [String: CustomKeyStore], clusters: [String: CloudHSMCluster]) {
        let previousIndex = selectedIndex ?? 0
        let needle = filter.lowercased()
        let shown = stores.values.filter { needle.isEmpty || Self.matches($0, needle) }
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
        let needle = filter.lowercased()
        let staysPut = sort.column != .state && (needle.isEmpty || Self.matches(old, needle) == Self.matches(new, needle))
        guard staysPut else {
            rebuild(stores: stores, clusters: clusters)
            return
        }
        measures.counts[old.connectionState, default: 1] -= 1
        measures.counts[new.connectionState, default: 0] += 1
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
        }
        for store in all { measures.counts[store.connectionState, default: 0] += 1 }
        self.measures = measures
    }

    /// True when a store matches a lower-cased filter: by name, ID, cluster, state or error code.
    static func matches(_ store: CustomKeyStore, _ needle: String) -> Bool {
        let fields = [
            store.name, store.id, store.cloudHsmClusterId ?? "", store.connectionState.rawValue,
            store.connectionErrorCode?.rawValue ?? "", store.type.displayName,
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
