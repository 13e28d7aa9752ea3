import KeyStoreEngine

/// Draws whatever dialog is open over the screen.
enum ModalView {
    static func draw(_ modal: Modal, _ state: AppState, _ screen: Rect, into frame: inout Frame) {
        switch modal {
        case let .actions(menu): ActionsMenuView.draw(menu, state, screen, into: &frame)
        case let .disconnect(dialog): DisconnectDialogView.draw(dialog, state, screen, into: &frame)
        case let .delete(dialog): DeleteDialogView.draw(dialog, state, screen, into: &frame)
        case let .keyDeletion(dialog): KeyDeletionDialogView.draw(dialog, state, screen, into: &frame)
        case let .connectAfterRepair(id, focus): RepairDialogView.drawConnect(id, focus, state, screen, into: &frame)
        case let .simulatedFix(id, focus): RepairDialogView.drawSimulatedFix(id, focus, state, screen, into: &frame)
        case let .form(form): FormView.draw(form, state, screen, into: &frame)
        case let .help(scroll): HelpView.draw(scroll, state, screen, into: &frame)
        case let .logEntry(index, scroll): LogEntryView.draw(index: index, scroll: scroll, state, screen, into: &frame)
        case let .quit(focus): drawQuit(focus, state, screen, into: &frame)
        case let .regionPicker(picker): RegionPickerView.draw(picker, state, screen, into: &frame)
        }
    }

    /// A dialog box sized for its lines and buttons, centred; returns the inside.
    /// `atBottom` keeps what is above visible (a repair's dialogs leave the fix in the detail readable).
    static func dialog(_ title: StyledLine, lines: [StyledLine], in screen: Rect, width wanted: Int, state: AppState,
                       into frame: inout Frame, danger: Bool = false, atBottom: Bool = false) -> Rect {
        let width = min(screen.width - 4, max(wanted, title.width + 8))
        let height = min(screen.height - 2, lines.count + 4)
        var rect = screen.centered(width: width, height: height)
        if atBottom { rect.y = max(screen.y, screen.y + screen.height - height - 1) }
        let inside = frame.box(rect, title: title, glyphs: state.glyphs, border: danger ? .bad : .border)
        for (index, line) in lines.prefix(max(0, inside.height - 2)).enumerated() {
            frame.put(line, x: inside.x, y: inside.y + 1 + index, limit: inside.maxX)
        }
        return inside
    }

    private static func drawQuit(_ focus: Int, _ state: AppState, _ screen: Rect, into frame: inout Frame) {
        let running = state.runningWorkflows
        var lines: [StyledLine] = [StyledLine(running.count == 1 ? "This is still running:" : "These are still running:", .normal)]
        for workflow in running.prefix(6) {
            lines.append(StyledLine("  ") + WorkflowTrayView.line(workflow, state, width: 66))
        }
        lines.append("")
        lines += TextWidth.wrap("They go on after you quit: KMS (and the simulator, whose workflows are durable) finishes them without cks. Open cks again or run `cks list` to see how they end.", to: 66).map { StyledLine($0, .normal) }
        lines.append("")
        let inside = dialog(StyledLine("Quit cks?", .title), lines: lines, in: screen, width: 72, state: state, into: &frame)
        frame.buttons([("Quit", false, true), ("Stay", false, true)], focus: focus, row: inside.maxY - 1, right: inside.maxX)
    }
}
