import KeyStoreEngine

/// "Type the store's name to delete it": the focus starts on Cancel.
enum DeleteDialogView {
    static func draw(_ dialog: DeleteConfirmation, _ state: AppState, _ screen: Rect, into frame: inout Frame) {
        guard let store = state.stores[dialog.storeId] else { return }
        let glyphs = state.glyphs
        let width = min(screen.width - 4, 72)
        var lines = TextWidth.wrap("This deletes the custom key store \(store.id). It cannot be undone. The CloudHSM cluster, its HSMs and kmsuser are not deleted.", to: width - 4)
            .map { StyledLine($0, .normal) }
        lines.append("")
        var blocked: String?
        switch state.keys[store.id] {
        case let .loaded(keys)?:
            blocked = KeyStoreRules.verdict(for: .delete, on: store, keyCount: keys.count).reason
        case .failed?, nil, .loading?:
            lines.append(StyledLine("Counting the store's KMS keys\(glyphs.ellipsis)", .dim))
        }
        if let blocked { lines.append(StyledLine(glyphs.plain("Cannot delete: \(blocked)."), .bad)) }
        lines.append(StyledLine("Type ", .normal) + StyledLine(store.name, .strong) + StyledLine(" to confirm:", .normal))
        let fieldRow = lines.count
        lines.append("")
        lines.append("")
        let title = StyledLine("Delete ", .bad) + StyledLine(store.name, .strong) + StyledLine("?", .bad)
        let inside = ModalView.dialog(title, lines: lines, in: screen, width: width, state: state, into: &frame, danger: true)
        frame.textField(dialog.typedName, placeholder: "the store's name", x: inside.x, y: inside.y + 1 + fieldRow,
                        width: min(inside.width, 40), focused: dialog.focus == .name, secret: false, disabled: false, glyphs: glyphs)
        let matches = dialog.typedName == store.name && blocked == nil && state.keys[store.id]?.value != nil
        let focus: Int? = switch dialog.focus {
        case .cancel: 0
        case .delete: 1
        case .name: nil
        }
        frame.buttons([("Cancel", false, true), ("Delete", true, matches)], focus: focus, row: inside.maxY - 1, right: inside.maxX)
    }
}
