/// Small drawing pieces the views share: boxes, rules, buttons, text fields.
extension Frame {
    /// Clears a rectangle and draws a rounded border with a title in the top edge; returns the inside.
    @discardableResult
    mutating func box(_ rect: Rect, title: StyledLine? = nil, glyphs: Glyphs, border: StyleRole = .border) -> Rect {
        guard rect.width >= 2, rect.height >= 2 else { return Rect(x: rect.x, y: rect.y, width: 0, height: 0) }
        fill(rect)
        let horizontal = String(repeating: glyphs.horizontal, count: rect.width - 2)
        put(glyphs.topLeft + horizontal + glyphs.topRight, x: rect.x, y: rect.y, style: Style(border))
        put(glyphs.bottomLeft + horizontal + glyphs.bottomRight, x: rect.x, y: rect.maxY - 1, style: Style(border))
        for row in rect.y + 1..<rect.maxY - 1 {
            put(glyphs.vertical, x: rect.x, y: row, style: Style(border))
            put(glyphs.vertical, x: rect.maxX - 1, y: row, style: Style(border))
        }
        if let title {
            let room = rect.width - 6
            var line = StyledLine(" ") + title.truncated(to: room, ellipsis: glyphs.ellipsis)
            line.append(" ")
            put(line, x: rect.x + 2, y: rect.y, limit: rect.maxX - 2)
        }
        return Rect(x: rect.x + 2, y: rect.y + 1, width: rect.width - 4, height: rect.height - 2)
    }

    /// A horizontal rule across a row with a title near its left end: `── Events ─────`.
    mutating func rule(y: Int, x: Int, width: Int, title: StyledLine, trailing: StyledLine? = nil, glyphs: Glyphs) {
        put(String(repeating: glyphs.horizontal, count: max(0, width)), x: x, y: y, style: Style(.border))
        let end = put(StyledLine(" ") + title + StyledLine(" "), x: x + 2, y: y, limit: x + width)
        if let trailing {
            let start = x + width - trailing.width - 4
            if start > end + 1 { put(StyledLine(" ") + trailing + StyledLine(" "), x: start, y: y, limit: x + width) }
        }
    }

    /// `[ Cancel ]`, styled by focus; returns the column after it.
    @discardableResult
    mutating func button(_ title: String, x: Int, y: Int, focused: Bool, danger: Bool = false, enabled: Bool = true) -> Int {
        let role: StyleRole = switch (enabled, danger, focused) {
        case (false, _, _): .menuDisabled
        case (true, true, true): .dangerButtonFocused
        case (true, true, false): .dangerButton
        case (true, false, true): .buttonFocused
        case (true, false, false): .button
        }
        return put(focused ? "[ \(title) ]" : "  \(title)  ", x: x, y: y, style: Style(role))
    }

    /// Buttons right-aligned on a row; `focus` is the index of the focused one.
    mutating func buttons(_ titles: [(title: String, danger: Bool, enabled: Bool)], focus: Int?, row: Int, right: Int) {
        let widths = titles.map { TextWidth.of($0.title) + 4 }
        var x = right - widths.reduce(0, +) - 2 * (titles.count - 1)
        for (index, item) in titles.enumerated() {
            button(item.title, x: x, y: row, focused: index == focus, danger: item.danger, enabled: item.enabled)
            x += widths[index] + 2
        }
    }

    /// A one-line text field; puts the cursor after its text when focused.
    mutating func textField(_ value: String, placeholder: String, x: Int, y: Int, width: Int, focused: Bool,
                            secret: Bool, disabled: Bool, glyphs: Glyphs) {
        let shown = secret ? String(repeating: glyphs.secret, count: value.count) : value
        let role: StyleRole = disabled ? .fieldDisabled : (focused ? .fieldFocused : .fieldValue)
        fill(Rect(x: x, y: y, width: width, height: 1), style: Style(role))
        if shown.isEmpty {
            put(TextWidth.truncate(placeholder, to: width - 2, ellipsis: glyphs.ellipsis), x: x + 1, y: y,
                style: Style(disabled ? .fieldDisabled : .dim))
            if focused { cursor = (x + 1, y) }
        } else {
            // Long values show their end, where typing happens.
            var visible = shown
            while TextWidth.of(visible) > width - 3 { visible.removeFirst() }
            let end = put(visible, x: x + 1, y: y, style: Style(role))
            if focused { cursor = (end, y) }
        }
    }
}

extension StyledLine {
    /// `label      value` with the label padded to a column.
    static func field(_ label: String, _ value: StyledLine, labelWidth: Int = 20) -> StyledLine {
        StyledLine(TextWidth.fit(label, to: labelWidth), .fieldLabel) + value
    }

    /// Wrapped text with a label on the first line and the rest aligned under the value column.
    static func wrappedField(_ label: String, _ text: String, role: StyleRole = .normal, width: Int, labelWidth: Int = 20) -> [StyledLine] {
        let lines = TextWidth.wrap(text, to: max(10, width - labelWidth))
        return lines.enumerated().map { index, line in
            StyledLine(TextWidth.fit(index == 0 ? label : "", to: labelWidth), .fieldLabel) + StyledLine(line, role)
        }
    }
}
