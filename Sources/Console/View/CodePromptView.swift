import KeyStoreEngine

/// "MFA code": the backend needs the code of an MFA device to assume a role. The digits are shown as typed (a
/// code lasts seconds and is used once; seeing it avoids a retyped one expiring).
enum CodePromptView {
    static func draw(_ entry: CodeEntry, _ state: AppState, _ screen: Rect, into frame: inout Frame) {
        let width = min(screen.width - 4, 72)
        var lines: [StyledLine] = []
        let role = entry.request.profile.map { "Profile \($0) assumes a role that needs" } ?? "Assuming a role needs"
        lines += TextWidth.wrap("\(role) a code from your MFA device:", to: width - 4).map { StyledLine($0, .normal) }
        lines.append(StyledLine(entry.request.serial, .strong))
        lines.append("")
        lines.append(StyledLine("Enter MFA code for \(entry.request.serial):", .normal))
        let fieldRow = lines.count
        lines.append("")
        lines.append("")
        var keys = StyledLine("Enter", .keyHint) + StyledLine(" sends  ", .keyLabel)
        keys = keys + StyledLine("Esc", .keyHint) + StyledLine(" gives none", .keyLabel)
        lines.append(keys)
        let inside = ModalView.dialog(StyledLine("MFA code", .title), lines: lines, in: screen, width: width, state: state, into: &frame)
        frame.textField(entry.typed, placeholder: "\(CodeEntry.length) digits", x: inside.x, y: inside.y + 1 + fieldRow,
                        width: min(inside.width, CodeEntry.length + 10), focused: true, secret: false, disabled: false,
                        glyphs: state.glyphs)
    }
}
