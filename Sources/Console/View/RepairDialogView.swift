import KeyStoreEngine

/// The dialogs of a repair: the simulated fix and the final connect. They sit at the bottom of the screen so
/// that the fix, in the detail above, stays readable.
enum RepairDialogView {
    static func drawSimulatedFix(_ id: String, _ focus: Int, _ state: AppState, _ screen: Rect, into frame: inout Frame) {
        guard let store = state.stores[id], let repair = state.repairs[id] else { return }
        let guide = RepairGuide(store: store, state: state)
        let width = min(screen.width - 4, 90)
        let text = width - 4
        var lines: [StyledLine] = []
        let action = repair.simulatorAction
        lines += TextWidth.wrap(guide.dialogLead(.fix) + "\(action?.title ?? "fix the cause").", to: text)
            .map { StyledLine($0, .normal) }
        lines.append("")
        let what = store.type == .externalKeyStore ? "the simulated proxy or network, as their administrator would"
            : "the simulated cluster, as a cluster admin would"
        lines += TextWidth.wrap("This is a simulated fix: it changes \(what). "
            + "On real AWS you would do this step yourself (its real AWS form is in the fix above).", to: text)
            .map { StyledLine($0, .warning) }
        if let action {
            let context = guide.context
            lines.append("")
            for command in action.commandLine(context).components(separatedBy: "; ") {
                lines.append(StyledLine("$ " + command, .logCommand).truncated(to: text, ellipsis: state.glyphs.ellipsis))
            }
        }
        lines.append("")
        let inside = ModalView.dialog(StyledLine("Apply the simulated fix to \(store.name)?", .title), lines: lines, in: screen,
                                      width: width, state: state, into: &frame, atBottom: true)
        frame.buttons([("Not now", false, true), ("Apply simulated fix", false, true)], focus: focus, row: inside.maxY - 1, right: inside.maxX)
    }

    static func drawConnect(_ id: String, _ focus: Int, _ state: AppState, _ screen: Rect, into frame: inout Frame) {
        let name = state.stores[id]?.name ?? id
        let width = min(screen.width - 4, 90)
        let notice = state.stores[id].map { RepairGuide(store: $0, state: state).connectNotice }
            ?? "The last step of the repair: connect \(name) again."
        var lines = TextWidth.wrap(notice + " Its progress shows in the detail.", to: width - 4).map { StyledLine($0, .normal) }
        lines.append("")
        lines.append(StyledLine("$ " + AWSCommandLine.connect(id, backend: state.backend), .logCommand).truncated(to: width - 4, ellipsis: state.glyphs.ellipsis))
        lines.append("")
        let inside = ModalView.dialog(StyledLine("Connect \(name) now?", .title), lines: lines, in: screen, width: width, state: state,
                                      into: &frame, atBottom: true)
        frame.buttons([("Later", false, true), ("Connect", false, true)], focus: focus, row: inside.maxY - 1, right: inside.maxX)
    }
}
