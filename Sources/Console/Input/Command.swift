/// What a key binding asks the console to do. Keys map to commands through `KeyBindings.table`.
public enum Command: String, Sendable, Hashable, CaseIterable {
    case quit, forceQuit, help, redraw, commandLine, filter
    case moveUp, moveDown, pageUp, pageDown, top, bottom
    case open, back
    case actions, connect, disconnect, edit, delete, create, repair
    /// The list's tabs: the other one, or one by name.
    case switchTab, cloudHSMTab, externalTab
    /// CreateKey in the focused store.
    case createKey
    // The KMS keys of the shown store.
    case nextKey, previousKey, enableKey, disableKey, scheduleKeyDeletion, cancelKeyDeletion
    case sortNext, sortReverse, toggleLog, focusNext, copy, refresh, switchRegion
    // Inside menus, dialogs and forms.
    case select, cancel, nextItem, previousItem, nextButton, previousButton, submit
    case deleteBackward, clearField
    /// Shows or masks the secrets of a form.
    case toggleSecret
}
