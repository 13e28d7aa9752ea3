import KeyStoreEngine

/// The Create and Edit forms: labelled fields, the service's last answer, and the buttons.
enum FormView {
    static let labelWidth = 20

    static func draw(_ form: FormState, _ state: AppState, _ screen: Rect, into frame: inout Frame) {
        let glyphs = state.glyphs
        let width = min(screen.width - 4, 84)
        let textWidth = width - 4
        var lines: [StyledLine] = []
        if let notice = form.notice {
            lines += TextWidth.wrap(glyphs.plain(notice), to: textWidth).map { StyledLine($0, .accent) }
            lines.append("")
        }
        let indent = String(repeating: " ", count: labelWidth + 1)
        var fieldRows: [Int] = []
        for (index, field) in form.fields.enumerated() {
            fieldRows.append(lines.count)
            lines.append(StyledLine(TextWidth.fit(field.label, to: labelWidth), field.disabledReason == nil ? .fieldLabel : .fieldDisabled))
            let next = index + 1 < form.fields.count ? form.fields[index + 1] : nil
            if let reason = field.disabledReason {
                // Fields locked for the same reason share one explanation, under the last of them.
                if next?.disabledReason != reason {
                    lines += TextWidth.wrap(glyphs.plain(reason), to: textWidth - indent.count).map { StyledLine(indent + $0, .menuReason) }
                }
            } else if let problem = form.problem, problem.field == field.id {
                let wrapped = TextWidth.wrap(glyphs.plain(problem.message), to: textWidth - indent.count - 2)
                lines += wrapped.enumerated().map { index, text in
                    StyledLine(indent + (index == 0 ? glyphs.cross + " " : "  ") + text, .fieldError)
                }
            } else if field.id == form.errorField, let error = form.error {
                lines.append(StyledLine(indent + glyphs.cross + " " + error.code.rawValue, .fieldError))
            } else if !field.suggestions.isEmpty, field.suggestions.count > 1 || field.value != field.suggestions.first {
                let position = (field.suggestions.firstIndex(of: field.value).map { "\($0 + 1) of " } ?? "") + "\(field.suggestions.count)"
                lines.append(StyledLine(indent + "\(glyphs.isASCII ? "<-/->" : "←/→") \(position) clusters", .dim))
            } else {
                lines.append("")
            }
        }
        if let error = form.error {
            // The exception's name sits under its field when the message names one; otherwise here.
            if form.errorField == nil { lines.append(StyledLine(glyphs.cross + " " + error.code.rawValue, .fieldError)) }
            lines += TextWidth.wrap(glyphs.plain(error.message), to: textWidth).prefix(5).map { StyledLine($0, .normal) }
        } else if form.submitting {
            lines.append(StyledLine(form.kind == .create ? "Creating\(glyphs.ellipsis)" : "Saving\(glyphs.ellipsis)", .dim))
        }
        lines.append("")
        lines.append("")

        let title: StyledLine = switch form.kind {
        case .create: StyledLine(form.title, .title)
        case let .edit(id): StyledLine(form.title + " ", .title) + StyledLine(state.stores[id]?.name ?? id, .strong)
        }
        let repairing = if case let .edit(id) = form.kind { state.repairs[id]?.stage == .edit } else { false }
        let inside = ModalView.dialog(title, lines: lines, in: screen, width: width, state: state, into: &frame, atBottom: repairing)
        for (index, field) in form.fields.enumerated() {
            let y = inside.y + 1 + fieldRows[index]
            guard y < inside.maxY - 1 else { break }
            frame.textField(field.value, placeholder: field.placeholder, x: inside.x + labelWidth, y: y,
                            width: inside.width - labelWidth, focused: form.focus == index && !form.submitting,
                            secret: field.isSecret, disabled: field.disabledReason != nil, glyphs: glyphs)
        }
        let focus: Int? = form.focus >= form.fields.count ? form.focus - form.fields.count : nil
        frame.buttons([("Cancel", false, true), (form.submitTitle, false, !form.submitting)], focus: focus,
                      row: inside.maxY - 1, right: inside.maxX)
    }
}
