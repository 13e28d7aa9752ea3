import Foundation
import KeyStoreEngine

/// "Schedule the deletion of this KMS key?": the key, the waiting period typed in days, and when it ends.
enum KeyDeletionDialogView {
    static func draw(_ dialog: KeyDeletionConfirmation, _ state: AppState, _ screen: Rect, into frame: inout Frame) {
        let glyphs = state.glyphs
        let width = min(screen.width - 4, 76)
        let window = KeyRules.pendingWindowDays
        let key = state.keys[dialog.storeId]?.value?.first { $0.id == dialog.keyId }
        var lines: [StyledLine] = []
        if let key, !key.description.isEmpty { lines.append(StyledLine(key.description, .dim)) }
        let days = Int(dialog.daysText).flatMap { window.contains($0) ? $0 : nil }
        let effect = days.map { days in
            "In \(days) days (on \(Formatting.dateTime(state.now.addingTimeInterval(Double(days) * 86_400), state.timeZone))) KMS deletes \(dialog.keyId) and everything it encrypted becomes unreadable. Until then the key is PendingDeletion, unusable, and U cancels the deletion."
        } ?? "The waiting period must be \(window.lowerBound) to \(window.upperBound) days."
        lines += TextWidth.wrap(effect, to: width - 4).map { StyledLine($0, days == nil ? .bad : .normal) }
        lines.append("")
        lines.append(StyledLine("Waiting period in days (\(window.lowerBound)–\(window.upperBound)):", .normal))
        let fieldRow = lines.count
        lines.append("")
        lines.append("")
        let title = StyledLine("Schedule the deletion of ", .bad) + StyledLine(dialog.keyId, .strong)
            + StyledLine(" in \(dialog.daysText.isEmpty ? "?" : dialog.daysText) days?", .bad)
        let inside = ModalView.dialog(title, lines: lines, in: screen, width: width, state: state, into: &frame, danger: true)
        frame.textField(dialog.daysText, placeholder: "days", x: inside.x, y: inside.y + 1 + fieldRow,
                        width: min(inside.width, 8), focused: true, secret: false, disabled: false, glyphs: glyphs)
        frame.buttons([("Cancel", false, true), ("Schedule deletion", true, days != nil)], focus: dialog.focus,
                      row: inside.maxY - 1, right: inside.maxX)
    }
}
