import KeyStoreEngine

/// Switching Region (`R`, `:region NAME`): a picker of the backend's Regions, then the service swapped for the
/// same account in the chosen Region, and the screen started again on it.
extension Reducer {
    static let singleRegionMessage = "The simulator has one Region; run cks --backend aws to switch Regions."

    static func openRegionPicker(_ state: inout AppState) -> [Effect] {
        guard state.switchesRegions else {
            state.status = .init(text: singleRegionMessage, kind: .info)
            return []
        }
        guard !refuseSwitchWhilePending(&state) else { return [] }
        state.modal = .regionPicker(RegionPicker(highlighted: state.backend.region))
        return []
    }

    static func handleRegionPickerKey(_ key: Key, _ picker: RegionPicker, _ state: inout AppState) -> [Effect] {
        var picker = picker
        if let character = key.printable {
            picker.filter.append(character)
            return updatePicker(picker, &state)
        }
        let matches = picker.matches(state.regionChoices)
        let cursor = picker.cursor(in: matches)
        switch KeyBindings.command(for: key, in: [.picker]) {
        case let command? where [.nextItem, .previousItem, .pageDown, .pageUp].contains(command):
            guard let cursor else { break }
            let step = switch command {
            case .nextItem: 1
            case .previousItem: -1
            case .pageDown: RegionPicker.pageSize
            default: -RegionPicker.pageSize
            }
            picker.highlighted = matches[max(0, min(matches.count - 1, cursor + step))]
        case .deleteBackward?:
            if !picker.filter.isEmpty { picker.filter.removeLast() }
            return updatePicker(picker, &state)
        case .clearField?:
            picker.filter = ""
            return updatePicker(picker, &state)
        case .select?:
            guard let cursor else {
                state.status = .init(text: "No Region matches \"\(picker.filter)\"; Backspace widens the list.", kind: .info)
                break
            }
            return requestRegion(matches[cursor], &state)
        case .cancel?:
            state.modal = nil
            return []
        default:
            break
        }
        state.modal = .regionPicker(picker)
        return []
    }

    /// A new filter keeps the highlighted Region when it still matches, else highlights the first match.
    private static func updatePicker(_ picker: RegionPicker, _ state: inout AppState) -> [Effect] {
        var picker = picker
        let matches = picker.matches(state.regionChoices)
        if let highlighted = picker.highlighted, !matches.contains(highlighted) { picker.highlighted = matches.first }
        if picker.highlighted == nil { picker.highlighted = matches.first }
        state.modal = .regionPicker(picker)
        return []
    }

    /// Asks to switch to a Region chosen in the picker or named by `:region NAME`.
    static func requestRegion(_ name: String, _ state: inout AppState) -> [Effect] {
        guard state.switchesRegions else {
            state.status = .init(text: singleRegionMessage, kind: .info)
            return []
        }
        let region = name.lowercased()
        guard state.regionChoices.contains(region) || RegionNames.looksLikeRegion(region) else {
            state.status = .init(text: "\(name) is not a Region. Press R for the list.", kind: .error)
            return []
        }
        state.modal = nil
        if region == state.backend.region {
            state.status = .init(text: "Already in \(region).", kind: .info)
            return []
        }
        guard !refuseSwitchWhilePending(&state) else { return [] }
        state.status = .init(text: "Switching to \(region)\(state.glyphs.ellipsis)", kind: .info)
        return [.switchRegion(region)]
    }

    /// The service now speaks to another Region: forget the old Region's stores and follow the new one.
    static func regionSwitched(_ backend: BackendDescription, choices: [String], _ state: inout AppState) -> [Effect] {
        let previous = state.backend.region
        let leftRunning = state.runningWorkflows.map { workflow in
            "the \(workflow.kind == .connect ? "connect" : "disconnect") of \(state.stores[workflow.storeId]?.name ?? workflow.storeId)"
        }
        let accountId = state.backend.accountId
        state.backend = backend
        if backend.accountId.isEmpty { state.backend.accountId = accountId }  // The same account, in another Region.
        state.regionChoices = choices
        state.stores = [:]
        state.storesStatus = .loading
        state.clusters = [:]
        state.keys = [:]
        state.histories = [:]
        state.proxyObservations = [:]
        state.workflows = []
        state.changedAt = [:]
        state.repairs = [:]
        state.eventCursor = nil
        state.following = true
        state.screen = .list
        state.detailScroll = 0
        if case .regionPicker = state.modal { state.modal = nil }
        for type in CustomKeyStoreType.allCases {
            state.tab = type
            state.table.selectedId = nil
            state.table.scrollTop = 0
        }
        state.tab = .awsCloudHSM
        rebuildTable(&state)
        state.log.append(LogEntry(time: state.now, kind: .event, storeName: nil,
                                  text: "Switched Region: \(previous) \(state.glyphs.arrow) \(backend.region)", copyText: nil))
        var text = "Switched to \(backend.region)."
        if leftRunning.count == 1 {
            text += " KMS goes on with \(leftRunning[0]) in \(previous) (R to go back and follow it)."
        } else if leftRunning.count > 1 {
            text += " KMS goes on with \(leftRunning.count) connects and disconnects in \(previous) (R to go back and follow them)."
        }
        state.status = .init(text: text, kind: .info)
        return start(&state)
    }
}
