import KeyStoreEngine

/// The Create and Edit forms: labelled fields, the service's last answer, and the buttons.
enum FormView {
    static let labelWidth = 20

    static func draw(_ form: FormState, _ state: AppState, _ screen: Rect, into frame: inout Frame) {
        let glyphs = state.glyphs
        let width = min(screen.width - 4, 84)
        // A form taller than the screen (an external key store's, with a notice, at 24 rows) drops its spacing lines
        // and the hints under its fields, so that every field and the buttons stay in sight.
        var (lines, fieldRows) = content(form, state, textWidth: width - 4, compact: false)
        if lines.count + 4 > screen.height - 2 { (lines, fieldRows) = content(form, state, textWidth: width - 4, compact: true) }
        let title: StyledLine = switch form.kind {
        case .create, .createExternal: StyledLine(form.title, .title)
        case let .edit(id), let .createKey(id): StyledLine(form.title + " ", .title) + StyledLine(state.stores[id]?.name ?? id, .strong)
        }
        let repairing = if case let .edit(id) = form.kind { state.repairs[id]?.stage == .edit } else { false }
        let inside = ModalView.dialog(title, lines: lines, in: screen, width: width, state: state, into: &frame, atBottom: repairing)
        for (index, field) in form.fields.enumerated() where !field.isHidden {
            let y = inside.y + 1 + fieldRows[index]
            guard y < inside.maxY - 1 else { break }
            frame.textField(field.value, placeholder: field.placeholder, x: inside.x + labelWidth, y: y,
                            width: inside.width - labelWidth, focused: form.focus == index && !form.submitting,
                            secret: field.isSecret && !form.revealsSecrets, disabled: field.disabledReason != nil, glyphs: glyphs)
        }
        let focus: Int? = form.focus >= form.fields.count ? form.focus - form.fields.count : nil
        frame.buttons([("Cancel", false, true), (form.submitTitle, false, !form.submitting)], focus: focus,
                      row: inside.maxY - 1, right: inside.maxX)
    }

    /// The lines of the form and the row of each field among them.
    private static func content(_ form: FormState, _ state: AppState, textWidth: Int, compact: Bool) -> ([StyledLine], [Int]) {
        let glyphs = state.glyphs
        var lines: [StyledLine] = []
        if let notice = form.notice {
            lines += TextWidth.wrap(glyphs.plain(notice), to: textWidth).map { StyledLine($0, .accent) }
            if !compact { lines.append("") }
        }
        let indent = String(repeating: " ", count: labelWidth + 1)
        var fieldRows: [Int] = []
        let shown = form.fields.filter { !$0.isHidden }
        for (index, field) in form.fields.enumerated() {
            fieldRows.append(lines.count)
            if field.isHidden { continue }
            lines.append(StyledLine(TextWidth.fit(field.label, to: labelWidth), field.disabledReason == nil ? .fieldLabel : .fieldDisabled))
            let next = shown.drop { $0.id != field.id }.dropFirst().first
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
            } else if compact, form.focus != index {
                continue
            } else if field.isChoice {
                lines.append(StyledLine(indent + "\(glyphs.isASCII ? "<-/->" : "←/→") " + field.suggestions.joined(separator: " / "), .dim))
            } else if !field.suggestions.isEmpty, field.suggestions.count > 1 || field.value != field.suggestions.first {
                let position = (field.suggestions.firstIndex(of: field.value).map { "\($0 + 1) of " } ?? "") + "\(field.suggestions.count)"
                lines.append(StyledLine(indent + "\(glyphs.isASCII ? "<-/->" : "←/→") \(position) clusters", .dim))
            } else if field.id == .proxyConfigurationFile, let read = form.proxyConfigurationFileRead, read == field.value {
                lines.append(StyledLine(indent + glyphs.check + " URI path and credential filled in from it", .good))
            } else if field.isSecret {
                let hint = form.revealsSecrets ? " masks it" : " shows it"
                lines.append(StyledLine(indent) + StyledLine("Ctrl-R", .keyHint) + StyledLine(hint, .keyLabel))
            } else {
                lines.append("")
            }
        }
        if let error = form.error {
            // The exception's name sits under its field when the message names one; otherwise here.
            if form.errorField == nil { lines.append(StyledLine(glyphs.cross + " " + error.code.rawValue, .fieldError)) }
            lines += TextWidth.wrap(glyphs.plain(error.message), to: textWidth).prefix(5).map { StyledLine($0, .normal) }
        } else if form.submitting {
            let doing = switch form.kind {
            case .edit: "Saving"
            case .create, .createExternal, .createKey: Forms.hasUnreadProxyConfigurationFile(form) ? "Reading the configuration file" : "Creating"
            }
            lines.append(StyledLine(doing + glyphs.ellipsis, .dim))
        }
        lines.append("")
        if !compact { lines.append("") }
        return (lines, fieldRows)
    }
}
