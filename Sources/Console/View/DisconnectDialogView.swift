import KeyStoreEngine

/// "Disconnect this store?": what KMS will do, and the keys that become Unavailable with their last use.
enum DisconnectDialogView {
    static func draw(_ dialog: DisconnectConfirmation, _ state: AppState, _ screen: Rect, into frame: inout Frame) {
        guard let store = state.stores[dialog.storeId] else { return }
        let glyphs = state.glyphs
        let width = min(screen.width - 4, 96)
        let textWidth = width - 4
        var lines: [StyledLine] = []
        if dialog.forRepair {
            let lead = RepairGuide(store: store, state: state).dialogLead(.disconnect)
            lines += TextWidth.wrap(lead + "A FAILED store must be disconnected before it can be fixed.", to: textWidth)
                .map { StyledLine($0, .accent) }
            lines.append("")
        }
        let cluster = store.cloudHsmClusterId.map { " from \($0)" } ?? ""
        let vpc = store.xksProxyConfiguration?.connectivity == .vpcEndpointService
        let effect = if store.connectionState == .failed {
            "A FAILED store holds no connection: disconnecting clears the FAILED state and its error code, so that the store can be fixed and connected again."
        } else if store.type == .externalKeyStore {
            "KMS stops sending requests to the proxy\(vpc ? " and deletes the interface endpoint and private hosted zone it made for the VPC endpoint service" : ""). Cryptographic operations with the store's keys fail until it is connected again."
        } else {
            "KMS logs kmsuser out and disconnects\(cluster); it deletes the network interfaces and the security group kms-\(store.id) it made. Cryptographic operations with the store's keys fail until it is connected again."
        }
        lines += TextWidth.wrap(effect, to: textWidth).map { StyledLine($0, .normal) }
        lines.append("")
        switch state.keys[store.id] {
        case nil, .loading?:
            lines.append(StyledLine("Counting the store's KMS keys\(glyphs.ellipsis)", .dim))
        case let .failed(error)?:
            lines.append(StyledLine(glyphs.plain("The keys could not be listed: \(error.code.rawValue): \(error.message)"), .warning))
        case let .loaded(keys)?:
            lines += keyLines(keys, store: store, state: state, width: textWidth)
        }
        lines.append("")
        lines.append(StyledLine("$ " + AWSCommandLine.disconnect(store.id, backend: state.backend), .logCommand).truncated(to: textWidth, ellipsis: glyphs.ellipsis))
        lines.append("")
        let title = StyledLine("Disconnect ", .title) + StyledLine(store.name, .strong) + StyledLine("?", .title)
        let inside = ModalView.dialog(title, lines: lines, in: screen, width: width, state: state, into: &frame)
        frame.buttons([("Cancel", false, true), ("Disconnect", true, true)], focus: dialog.focus, row: inside.maxY - 1, right: inside.maxX)
    }

    static func keyLines(_ keys: [KMSKey], store: CustomKeyStore, state: AppState, width: Int) -> [StyledLine] {
        guard !keys.isEmpty else { return [StyledLine("The store holds no KMS keys: nothing becomes Unavailable.", .dim)] }
        let changing = keys.filter { KeyStoreRules.visibleKeyState(ownState: $0.keyState, storeState: .disconnected) != $0.keyState }
        var lines: [StyledLine] = []
        let summary = changing.count == 1 ? "1 KMS key becomes Unavailable" : "\(changing.count) KMS keys become Unavailable"
        lines.append(StyledLine(changing.isEmpty ? (keys.count == 1 ? "Its KMS key is already unusable; it stays so." : "Its \(keys.count) KMS keys are already unusable; they stay so.") : summary + ":", changing.isEmpty ? .normal : .warning))
        let glyphs = state.glyphs
        lines.append(StyledLine("  " + TextWidth.column("KEY", 12) + TextWidth.column("DESCRIPTION", 22)
            + TextWidth.column("STATE", 30) + "LAST USED", .columnHeader))
        let shown = keys.sorted { ($0.lastUsage?.time ?? .distantPast) > ($1.lastUsage?.time ?? .distantPast) }
        for key in shown.prefix(8) {
            let after = KeyStoreRules.visibleKeyState(ownState: key.keyState, storeState: .disconnected)
            var line = StyledLine("  " + TextWidth.column(String(key.id.prefix(8)) + glyphs.ellipsis, 12))
            line.append(TextWidth.column(key.description, 22, ellipsis: glyphs.ellipsis), .dim)
            let transition = after == key.keyState ? key.keyState.rawValue : "\(key.keyState.rawValue) \(glyphs.arrow) \(after.rawValue)"
            line.append(TextWidth.column(transition, 30), after == key.keyState ? .dim : .warning)
            line.append(key.lastUsage.map { "\($0.operation), \(Formatting.ago($0.time, now: state.now))" } ?? "never used", .normal)
            lines.append(line.truncated(to: width, ellipsis: glyphs.ellipsis))
        }
        if keys.count > 8 { lines.append(StyledLine("  + \(keys.count - 8) more", .dim)) }
        return lines
    }
}
