import KeyStoreEngine

/// The table of stores: one row per store, the state as a badge, the selected row highlighted.
enum StoreTableView {
    static let gap = 2
    static let gutter = 2

    /// The columns that fit a width, in display order, with their widths.
    ///
    /// Columns have priorities, as in k9s: the name and the whole connection state (with its error code) come
    /// first, then, for CloudHSM stores, ID, HSMS, CLUSTER and CREATED; for external key stores, URI ENDPOINT,
    /// CONNECTIVITY, URI PATH, ID and CREATED. Each goes in when it fits beside the ones before it; a column that
    /// does not fit is left out (the ID is in the detail view, and the header shows the selected store's ID when
    /// its column is out). The width alone decides: sorting never adds or drops a column.
    static func columns(for state: AppState, width: Int) -> [(column: SortColumn, width: Int)] {
        let measures = state.table.measures
        let nameWanted = min(32, max(12, measures.name))
        let stateWanted = max(16, measures.badge)
        let fixed: [SortColumn: Int] = [
            .id: 21, .cluster: min(24, max(19, measures.cluster)), .hsms: 4, .created: 10,
            .connectivity: 12, .endpoint: min(40, max(12, measures.endpoint)), .path: min(32, max(10, measures.path)),
        ]
        let available = width - gutter - 1
        let priority: [SortColumn] = state.tab == .externalKeyStore
            ? [.endpoint, .connectivity, .path, .id, .created]
            : [.id, .hsms, .cluster, .created]
        var shown: Set<SortColumn> = [.name, .state]
        var used = nameWanted + gap + stateWanted
        for column in priority {
            let needed = gap + (fixed[column] ?? 0)
            if used + needed <= available {
                shown.insert(column)
                used += needed
            }
        }
        let order = SortColumn.columns(of: state.tab).filter { shown.contains($0) }
        let fixedWidth = order.reduce(0) { $0 + (fixed[$1] ?? 0) } + gap * (order.count - 1)
        // The whole name and the whole badge when they fit; when not, the name keeps 12 columns and the badge
        // the rest; spare columns go to the name.
        let remaining = max(0, available - fixedWidth)
        var nameWidth = min(nameWanted, max(12, remaining - stateWanted))
        let stateWidth = min(stateWanted, max(0, remaining - nameWidth))
        nameWidth = max(nameWidth, remaining - stateWidth)
        return order.map { column in
            switch column {
            case .name: (column, nameWidth)
            case .state: (column, stateWidth)
            default: (column, fixed[column] ?? 0)
            }
        }
    }

    static func draw(_ state: AppState, _ body: Rect, into frame: inout Frame) {
        guard body.height > 1 else { return }
        TabStripView.draw(state, y: body.y, width: body.width, into: &frame)
        let rect = Rect(x: body.x, y: body.y + 1, width: body.width, height: body.height - 1)
        let glyphs = state.glyphs
        switch state.storesStatus {
        case .loading where state.stores.isEmpty:
            frame.put("Loading key stores\(glyphs.ellipsis)", x: gutter, y: rect.y + 1, style: Style(.dim))
            return
        case let .failed(error) where state.stores.isEmpty:
            frame.put("The key stores could not be loaded.", x: gutter, y: rect.y + 1, style: Style(.bad))
            frame.put(glyphs.plain("\(error.code.rawValue): \(error.message)"), x: gutter, y: rect.y + 2, style: Style(.normal), limit: rect.maxX - 1)
            frame.put(StyledLine("r", .keyHint) + StyledLine(" tries again", .keyLabel), x: gutter, y: rect.y + 4)
            return
        default:
            break
        }

        let columns = columns(for: state, width: rect.width)
        drawHeadings(columns, state, y: rect.y, into: &frame)

        if state.table.measures.total == 0 {
            let external = state.tab == .externalKeyStore
            frame.put(external ? "No external key stores yet." : "No AWS CloudHSM key stores yet.", x: gutter, y: rect.y + 2,
                      style: Style(.normal))
            let create = external ? "Create external key store" : "Create key store"
            frame.put(StyledLine("n", .keyHint) + StyledLine(" creates one (or a, then \(create)).", .keyLabel), x: gutter, y: rect.y + 3)
            let other = state.tab == .awsCloudHSM ? state.externalTable.measures.total : state.cloudHSMTable.measures.total
            if other > 0 {
                let name = external ? "AWS CloudHSM key stores" : "External key stores"
                frame.put(StyledLine("[/]", .keyHint) + StyledLine(" shows the \(other) \(name).", .keyLabel), x: gutter, y: rect.y + 4)
            }
            return
        }
        if state.table.order.isEmpty {
            frame.put("No store matches \"\(state.table.filter)\".", x: gutter, y: rect.y + 2, style: Style(.normal))
            frame.put(StyledLine("Esc", .keyHint) + StyledLine(" clears the filter.", .keyLabel), x: gutter, y: rect.y + 3)
            return
        }

        let rows = rect.height - 1
        let top = state.table.scrollTop
        for (offset, id) in state.table.order.dropFirst(top).prefix(rows).enumerated() {
            guard let store = state.stores[id] else { continue }
            drawRow(store, columns, state, y: rect.y + 1 + offset, width: rect.width, into: &frame)
        }
    }

    private static func drawHeadings(_ columns: [(column: SortColumn, width: Int)], _ state: AppState, y: Int, into frame: inout Frame) {
        var x = gutter
        let sort = state.table.sort
        for (column, width) in columns {
            let sorted = column == sort.column
            let arrow = sorted ? " " + (sort.ascending ? state.glyphs.sortAscending : state.glyphs.sortDescending) : ""
            let title = TextWidth.fit(column.title + arrow, to: width, ellipsis: state.glyphs.ellipsis, alignRight: column == .hsms)
            frame.put(title, x: x, y: y, style: Style(sorted ? .columnSorted : .columnHeader))
            x += width + gap
        }
    }

    private static func drawRow(_ store: CustomKeyStore, _ columns: [(column: SortColumn, width: Int)], _ state: AppState,
                                y: Int, width: Int, into frame: inout Frame) {
        let glyphs = state.glyphs
        let selected = store.id == state.table.selectedId && !state.log.focused
        let changed = state.isChanged(store.id)
        if selected { frame.fill(Rect(x: 0, y: y, width: width, height: 1), style: Style(.normal, selected: true)) }
        if selected {
            frame.put(glyphs.pointer, x: 0, y: y, style: Style(.accent, selected: true))
        } else if changed {
            frame.put(glyphs.changed, x: 0, y: y, style: Style(.changedMarker))
        }
        var x = gutter
        let now = state.now.timeIntervalSinceReferenceDate
        let freshlyChanged = changed && state.changedAt[store.id].map { state.now.timeIntervalSince($0) < 1.5 } ?? false
        for (column, columnWidth) in columns {
            let cell: StyledLine = switch column {
            case .name: StyledLine(store.name, freshlyChanged ? .changedRow : .strong)
            case .id: StyledLine(store.id, .normal)
            case .type: StyledLine(store.type == .awsCloudHSM ? "CloudHSM" : "External", .dim)
            case .connectivity: StyledLine(store.xksProxyConfiguration.map { $0.connectivity == .publicEndpoint ? "Public" : "VPC" } ?? "-", .normal)
            case .endpoint: StyledLine(store.xksProxyConfiguration?.uriEndpoint ?? "-", .normal)
            case .path: StyledLine(store.xksProxyConfiguration?.uriPath ?? "-", .dim)
            case .cluster: StyledLine(store.cloudHsmClusterId ?? "-", .normal)
            case .hsms: StyledLine(TextWidth.fit(state.hsmCount(of: store).map(String.init) ?? "-", to: columnWidth, alignRight: true), .normal)
            case .state: Badge.line(store, glyphs: glyphs, now: now)
                + StyledLine(ClusterFacts.warning(store, state.clusters).map { ClusterFacts.warningText($0, glyphs: glyphs) } ?? "", .warning)
            case .created: StyledLine(Formatting.date(store.creationDate, state.timeZone), .dim)
            }
            frame.put(cell.truncated(to: columnWidth, ellipsis: glyphs.ellipsis), x: x, y: y, limit: x + columnWidth, selected: selected)
            x += columnWidth + gap
        }
    }
}
