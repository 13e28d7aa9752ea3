import Foundation
import KeyStoreEngine

/// The KMS keys of the shown store: selecting one (J/K) and asking KMS to enable, disable, schedule or cancel
/// its deletion, each through `KeyRules.verdict`, so a forbidden action is refused with the rules' reason.
extension Reducer {
    /// The shown store's keys in the order the detail lists them (oldest first).
    static func detailKeys(_ state: AppState) -> [KMSKey] {
        guard case let .detail(id) = state.screen, let keys = state.keys[id]?.value else { return [] }
        return keys.sorted { $0.creationDate < $1.creationDate }
    }

    /// The selected key of the shown store, or its first key when none is selected yet.
    static func selectedKey(_ state: AppState) -> KMSKey? {
        let keys = detailKeys(state)
        return keys.first { $0.id == state.selectedKeyId } ?? keys.first
    }

    static func selectKey(by step: Int, _ state: inout AppState) {
        let keys = detailKeys(state)
        guard !keys.isEmpty else {
            state.status = .init(text: "This store has no KMS keys to select.", kind: .info)
            return
        }
        // With none chosen yet, the first key is the selected one (the detail marks it so).
        let current = keys.firstIndex { $0.id == state.selectedKeyId } ?? 0
        state.selectedKeyId = keys[max(0, min(keys.count - 1, current + step))].id
    }

    /// Scrolls the detail so that the selected key's row, and the key actions under the list when they fit, are in
    /// sight.
    static func revealSelectedKey(_ state: inout AppState) {
        let layout = Layout(state)
        let document = DetailDocument(state: state, width: layout.body.width)
        guard let rows = document.selectedKey else { return }
        let visible = max(1, layout.body.height - 2)
        let top = max(0, min(state.detailScroll, document.lines.count - visible))
        if rows.lowerBound < top {
            state.detailScroll = rows.lowerBound
        } else if rows.upperBound > top + visible {
            state.detailScroll = min(rows.lowerBound, rows.upperBound - visible)
        } else {
            state.detailScroll = top
        }
    }

    /// Why `action` cannot be done to `key` now, or nil when it can.
    static func keyActionReason(_ action: KeyAction, _ key: KMSKey, _ state: AppState) -> String? {
        state.readOnly ? readOnlyReason : KeyRules.verdict(for: action, keyArn: key.arn, state: key.keyState).reason
    }

    static func keyAction(for command: Command) -> KeyAction? {
        switch command {
        case .enableKey: .enable
        case .disableKey: .disable
        case .scheduleKeyDeletion: .scheduleDeletion
        case .cancelKeyDeletion: .cancelDeletion
        default: nil
        }
    }

    static func keyActionTitle(_ action: KeyAction) -> String {
        switch action {
        case .enable: "enable"
        case .disable: "disable"
        case .scheduleDeletion: "schedule the deletion of"
        case .cancelDeletion: "cancel the deletion of"
        }
    }

    static func requestKeyAction(_ command: Command, _ state: inout AppState) -> [Effect] {
        guard let action = keyAction(for: command), case let .detail(storeId) = state.screen else { return [] }
        guard !refuseInReadOnly(&state) else { return [] }
        guard let key = selectedKey(state) else {
            state.status = .init(text: "No KMS key is selected: this store's key list is empty or still loading.", kind: .info)
            return []
        }
        state.selectedKeyId = key.id
        if let reason = keyActionReason(action, key, state) {
            state.status = .init(text: "Cannot \(keyActionTitle(action)) \(key.id): \(reason).", kind: .error)
            return []
        }
        if action == .scheduleDeletion {
            state.modal = .keyDeletion(KeyDeletionConfirmation(storeId: storeId, keyId: key.id))
            return []
        }
        return sendKeyAction(action, key, storeId: storeId, days: nil, &state)
    }

    private static func sendKeyAction(_ action: KeyAction, _ key: KMSKey, storeId: String, days: Int?,
                                      _ state: inout AppState) -> [Effect] {
        let verb = switch action {
        case .enable: "Enabling"
        case .disable: "Disabling"
        case .scheduleDeletion: "Scheduling the deletion of"
        case .cancelDeletion: "Cancelling the deletion of"
        }
        state.status = .init(text: "\(verb) \(key.id)\(state.glyphs.ellipsis)", kind: .info)
        return [.keyAction(action, keyId: key.id, storeId: storeId, pendingWindowDays: days)]
    }

    static func handleKeyDeletionKey(_ key: Key, _ dialog: KeyDeletionConfirmation, _ state: inout AppState) -> [Effect] {
        var dialog = dialog
        if let character = key.printable {
            guard character.isNumber, dialog.daysText.count < 3 else {
                state.status = .init(text: "Type the waiting period in days, \(KeyRules.pendingWindowDays.lowerBound) to \(KeyRules.pendingWindowDays.upperBound).", kind: .info)
                return []
            }
            dialog.daysText.append(character)
            state.modal = .keyDeletion(dialog)
            return []
        }
        switch (key, KeyBindings.command(for: key, in: [.dialog])) {
        case (.backspace, _):
            if !dialog.daysText.isEmpty { dialog.daysText.removeLast() }
        case (.control("u"), _):
            dialog.daysText = ""
        case (_, .nextButton?), (_, .previousButton?):
            dialog.focus = 1 - dialog.focus
        case (_, .select?):
            if dialog.focus == 0 {
                state.modal = nil
                return []
            }
            return confirmKeyDeletion(dialog, &state)
        case (_, .cancel?):
            state.modal = nil
            return []
        default:
            break
        }
        state.modal = .keyDeletion(dialog)
        return []
    }

    static func confirmKeyDeletion(_ dialog: KeyDeletionConfirmation, _ state: inout AppState) -> [Effect] {
        guard let days = Int(dialog.daysText), KeyRules.pendingWindowDays.contains(days) else {
            state.modal = .keyDeletion(dialog)
            state.status = .init(text: "The waiting period must be \(KeyRules.pendingWindowDays.lowerBound) to \(KeyRules.pendingWindowDays.upperBound) days, not \(dialog.daysText.isEmpty ? "empty" : dialog.daysText).", kind: .error)
            return []
        }
        state.modal = nil
        guard let key = state.keys[dialog.storeId]?.value?.first(where: { $0.id == dialog.keyId }) else {
            state.status = .init(text: "\(dialog.keyId) is no longer in the store's key list; nothing was sent.", kind: .error)
            return []
        }
        if let reason = keyActionReason(.scheduleDeletion, key, state) {
            state.status = .init(text: "Cannot schedule the deletion of \(key.id): \(reason).", kind: .error)
            return []
        }
        return sendKeyAction(.scheduleDeletion, key, storeId: dialog.storeId, days: days, &state)
    }

    static func keyActionDone(_ action: KeyAction, storeId: String, keyId: String, deletionDate: Date?,
                              _ state: inout AppState) -> [Effect] {
        let text = switch action {
        case .enable: "Enabled \(keyId)."
        case .disable: "Disabled \(keyId)."
        case .scheduleDeletion:
            "Scheduled the deletion of \(keyId)" + (deletionDate.map { " on \(Formatting.dateTime($0, state.timeZone))" } ?? "")
                + ": it is PendingDeletion until then (U cancels it)."
        case .cancelDeletion: "Cancelled the deletion of \(keyId): it is Disabled (+ enables it)."
        }
        state.status = .init(text: text, kind: .success)
        return [.loadKeys(storeId: storeId)]
    }

    static func keyActionFailed(_ action: KeyAction, storeId: String, keyId: String, _ error: KMSError,
                                _ state: inout AppState) -> [Effect] {
        let operation = switch action {
        case .enable: "EnableKey"
        case .disable: "DisableKey"
        case .scheduleDeletion: "ScheduleKeyDeletion"
        case .cancelDeletion: "CancelKeyDeletion"
        }
        setError(error, doing: "\(operation) \(keyId)", &state)
        return [.loadKeys(storeId: storeId)]
    }
}
