/// Where a key binding applies.
public enum BindingContext: String, Sendable, CaseIterable, Hashable {
    /// Everywhere, even inside dialogs.
    case anywhere
    /// On the list and detail screens (not inside a dialog or a text field).
    case screens
    case list, detail, log, entry, menu, dialog, form, prompt, picker, help

    /// The heading of the context in the help overlay.
    var title: String {
        switch self {
        case .anywhere: "Anywhere"
        case .screens: "Everywhere outside dialogs"
        case .list: "Key store list"
        case .detail: "Key store detail"
        case .log: "Event log (Tab to focus)"
        case .entry: "An event opened in full"
        case .menu: "Key store actions menu"
        case .dialog: "Confirmations (schedule key deletion: type the days)"
        case .form: "Create and edit forms"
        case .prompt: "Filter (/) and command (:) line"
        case .picker: "Region picker (R; type to filter)"
        case .help: "This help"
        }
    }
}

/// When a binding's hint appears in the footer.
public enum FooterCondition: Sendable, Hashable {
    case never
    case always
    /// Only while the shown store is FAILED or being repaired.
    case repairable
}

/// One key binding: the keys, what they do, where, and how the footer and help describe it.
public struct KeyBinding: Sendable, Hashable {
    public var keys: [Key]
    public var command: Command
    public var context: BindingContext
    /// The short word in the footer ("details"); bindings with the same hint share one footer entry.
    public var hint: String
    /// The sentence in the help overlay.
    public var help: String
    public var footer: FooterCondition

    init(_ keys: [Key], _ command: Command, _ context: BindingContext, hint: String, help: String, footer: FooterCondition = .never) {
        self.keys = keys
        self.command = command
        self.context = context
        self.hint = hint
        self.help = help
        self.footer = footer
    }
}

/// The one key-binding table: the reducer's key handling, the help overlay and the footer all read it.
public enum KeyBindings {
    public static let table: [KeyBinding] = [
        KeyBinding([.control("c")], .forceQuit, .anywhere, hint: "quit", help: "Quit at once (running connects and disconnects go on)"),
        KeyBinding([.control("l")], .redraw, .anywhere, hint: "redraw", help: "Redraw the whole screen"),

        KeyBinding([.character("?")], .help, .screens, hint: "help", help: "Show this help", footer: .always),
        KeyBinding([.character(":")], .commandLine, .screens, hint: "command", help: "Command line (:connect NAME, :sort state, :q; all below)"),
        KeyBinding([.character("R")], .switchRegion, .screens, hint: "region",
                   help: "Switch Region (with --backend aws; the simulator has one)"),
        KeyBinding([.character("q")], .quit, .screens, hint: "quit", help: "Quit (says what is still running)", footer: .always),

        KeyBinding([.character("j"), .down], .moveDown, .list, hint: "move", help: "Next store", footer: .always),
        KeyBinding([.character("k"), .up], .moveUp, .list, hint: "move", help: "Previous store", footer: .always),
        KeyBinding([.character("[")], .switchTab, .list, hint: "tab", help: "Previous tab: AWS CloudHSM key stores / External key stores",
                   footer: .always),
        KeyBinding([.character("]")], .switchTab, .list, hint: "tab", help: "Next tab", footer: .always),
        KeyBinding([.character("1")], .cloudHSMTab, .list, hint: "CloudHSM tab", help: "The AWS CloudHSM key stores tab"),
        KeyBinding([.character("2")], .externalTab, .list, hint: "external tab", help: "The External key stores tab"),
        KeyBinding([.pageDown, .control("d"), .control("f")], .pageDown, .list, hint: "page", help: "Page down"),
        KeyBinding([.pageUp, .control("u"), .control("b")], .pageUp, .list, hint: "page", help: "Page up"),
        KeyBinding([.character("g"), .home], .top, .list, hint: "top", help: "First store"),
        KeyBinding([.character("G"), .end], .bottom, .list, hint: "bottom", help: "Last store"),
        KeyBinding([.enter], .open, .list, hint: "details", help: "Open the store's detail", footer: .always),
        KeyBinding([.character("a")], .actions, .list, hint: "actions", help: "Key store actions menu", footer: .always),
        KeyBinding([.character("/")], .filter, .list, hint: "filter", help: "Filter by name, ID, state or error code", footer: .always),
        KeyBinding([.character("s")], .sortNext, .list, hint: "sort", help: "Sort by the next column", footer: .always),
        KeyBinding([.character("S")], .sortReverse, .list, hint: "reverse", help: "Reverse the sort order"),
        KeyBinding([.character("l")], .toggleLog, .list, hint: "log", help: "Show or hide the event log", footer: .always),
        KeyBinding([.tab], .focusNext, .list, hint: "focus log", help: "Move the focus to the event log"),
        KeyBinding([.character("c")], .connect, .list, hint: "connect", help: "Connect the store"),
        KeyBinding([.character("d"), .character("D")], .disconnect, .list, hint: "disconnect", help: "Disconnect the store (asks first)"),
        KeyBinding([.character("e")], .edit, .list, hint: "edit", help: "Edit the store"),
        KeyBinding([.character("x"), .character("X")], .delete, .list, hint: "delete", help: "Delete the store (asks for its name)"),
        KeyBinding([.character("f")], .repair, .list, hint: "fix it", help: "Repair the FAILED store: opens it and starts its repair"),
        KeyBinding([.character("n")], .create, .list, hint: "create", help: "Create a key store of the shown tab's type"),
        KeyBinding([.character("N")], .createKey, .list, hint: "new KMS key", help: "Create a KMS key in the store (CONNECTED stores)"),
        KeyBinding([.character("y")], .copy, .list, hint: "copy ID", help: "Copy the store's ID to the clipboard"),
        KeyBinding([.character("r")], .refresh, .list, hint: "reload", help: "Reload stores and clusters"),
        KeyBinding([.escape], .back, .list, hint: "clear filter", help: "Clear the filter"),

        KeyBinding([.escape, .character("h"), .left], .back, .detail, hint: "back", help: "Back to the list", footer: .always),
        KeyBinding([.character("j"), .down], .moveDown, .detail, hint: "scroll", help: "Scroll down", footer: .always),
        KeyBinding([.character("k"), .up], .moveUp, .detail, hint: "scroll", help: "Scroll up", footer: .always),
        KeyBinding([.pageDown, .control("d"), .control("f"), .character(" ")], .pageDown, .detail, hint: "page", help: "Page down"),
        KeyBinding([.pageUp, .control("u"), .control("b")], .pageUp, .detail, hint: "page", help: "Page up"),
        KeyBinding([.character("g"), .home], .top, .detail, hint: "top", help: "Top of the detail"),
        KeyBinding([.character("G"), .end], .bottom, .detail, hint: "bottom", help: "Bottom of the detail"),
        KeyBinding([.character("f")], .repair, .detail, hint: "fix it", help: "Repair a FAILED store: disconnect, fix the cause, change what KMS must know, connect", footer: .repairable),
        KeyBinding([.character("a")], .actions, .detail, hint: "actions", help: "Key store actions menu", footer: .always),
        KeyBinding([.character("c")], .connect, .detail, hint: "connect", help: "Connect the store"),
        KeyBinding([.character("d"), .character("D")], .disconnect, .detail, hint: "disconnect", help: "Disconnect the store (asks first)"),
        KeyBinding([.character("e")], .edit, .detail, hint: "edit", help: "Edit the store"),
        KeyBinding([.character("x"), .character("X")], .delete, .detail, hint: "delete", help: "Delete the store (asks for its name)"),
        KeyBinding([.character("y")], .copy, .detail, hint: "copy ID", help: "Copy the store's ID to the clipboard"),
        KeyBinding([.character("l")], .toggleLog, .detail, hint: "log", help: "Show or hide the event log"),
        KeyBinding([.character("r")], .refresh, .detail, hint: "reload",
                   help: "Reload the store, its keys and (external key stores) its proxy's health and requests"),
        KeyBinding([.character("N")], .createKey, .detail, hint: "new KMS key",
                   help: "Create a KMS key in this store (an external key store asks for the external key's ID)"),
        KeyBinding([.character("J")], .nextKey, .detail, hint: "select key", help: "Select the next KMS key in the key list", footer: .always),
        KeyBinding([.character("K")], .previousKey, .detail, hint: "select key", help: "Select the previous KMS key", footer: .always),
        KeyBinding([.character("+")], .enableKey, .detail, hint: "enable key", help: "Enable the selected KMS key (EnableKey)"),
        KeyBinding([.character("-")], .disableKey, .detail, hint: "disable key", help: "Disable the selected KMS key (DisableKey)"),
        KeyBinding([.character("W")], .scheduleKeyDeletion, .detail, hint: "delete key",
                   help: "Schedule the deletion of the selected KMS key in 7 to 30 days (asks first)"),
        KeyBinding([.character("U")], .cancelKeyDeletion, .detail, hint: "undelete key",
                   help: "Cancel the scheduled deletion of the selected KMS key"),

        KeyBinding([.character("j"), .down], .moveDown, .log, hint: "move", help: "Next event", footer: .always),
        KeyBinding([.character("k"), .up], .moveUp, .log, hint: "move", help: "Previous event", footer: .always),
        KeyBinding([.character("g"), .home], .top, .log, hint: "oldest", help: "Oldest event"),
        KeyBinding([.character("G"), .end], .bottom, .log, hint: "newest", help: "Newest event"),
        KeyBinding([.enter], .open, .log, hint: "open", help: "Open the event in full, wrapped (long errors and their fix)", footer: .always),
        KeyBinding([.character("y")], .copy, .log, hint: "copy command", help: "Copy the event's aws kms command", footer: .always),
        KeyBinding([.tab, .escape], .focusNext, .log, hint: "back to list", help: "Move the focus back to the list", footer: .always),
        KeyBinding([.character("l")], .toggleLog, .log, hint: "hide", help: "Hide the event log"),

        KeyBinding([.escape, .enter, .character("q")], .cancel, .entry, hint: "close", help: "Close the event", footer: .always),
        KeyBinding([.character("j"), .down], .moveDown, .entry, hint: "scroll", help: "Scroll down", footer: .always),
        KeyBinding([.character("k"), .up], .moveUp, .entry, hint: "scroll", help: "Scroll up"),
        KeyBinding([.character("y")], .copy, .entry, hint: "copy command", help: "Copy the event's aws kms command"),

        KeyBinding([.character("j"), .down], .nextItem, .menu, hint: "move", help: "Next action", footer: .always),
        KeyBinding([.character("k"), .up], .previousItem, .menu, hint: "move", help: "Previous action", footer: .always),
        KeyBinding([.enter], .select, .menu, hint: "choose", help: "Do the action (greyed ones say why not)", footer: .always),
        KeyBinding([.escape, .character("q"), .character("a")], .cancel, .menu, hint: "close", help: "Close the menu", footer: .always),

        KeyBinding([.tab, .right], .nextButton, .dialog, hint: "switch", help: "Next button (or field)", footer: .always),
        KeyBinding([.backTab, .left], .previousButton, .dialog, hint: "switch", help: "Previous button (or field)"),
        KeyBinding([.enter], .select, .dialog, hint: "press", help: "Press the focused button", footer: .always),
        KeyBinding([.escape], .cancel, .dialog, hint: "cancel", help: "Cancel", footer: .always),

        KeyBinding([.tab, .down], .nextItem, .form, hint: "next", help: "Next field", footer: .always),
        KeyBinding([.backTab, .up], .previousItem, .form, hint: "previous", help: "Previous field"),
        KeyBinding([.left], .previousButton, .form, hint: "choose", help: "Previous choice (cluster, proxy connectivity)"),
        KeyBinding([.right], .nextButton, .form, hint: "choose", help: "Next choice (cluster, proxy connectivity)", footer: .always),
        KeyBinding([.enter], .select, .form, hint: "next/submit", help: "Next field; on the last field or a button, press it", footer: .always),
        KeyBinding([.control("s")], .submit, .form, hint: "submit", help: "Submit the form"),
        KeyBinding([.backspace], .deleteBackward, .form, hint: "erase", help: "Erase the last character"),
        KeyBinding([.control("u")], .clearField, .form, hint: "clear", help: "Clear the field"),
        KeyBinding([.control("r")], .toggleSecret, .form, hint: "show secret", help: "Show or mask the secret fields (password, secret access key)"),
        KeyBinding([.escape], .cancel, .form, hint: "cancel", help: "Cancel", footer: .always),

        KeyBinding([.enter], .submit, .prompt, hint: "apply", help: "Apply the filter or run the command", footer: .always),
        KeyBinding([.escape], .cancel, .prompt, hint: "cancel", help: "Cancel (Esc on an applied filter clears it)", footer: .always),
        KeyBinding([.backspace], .deleteBackward, .prompt, hint: "erase", help: "Erase the last character"),
        KeyBinding([.control("u")], .clearField, .prompt, hint: "clear", help: "Clear the line"),

        KeyBinding([.down, .control("n")], .nextItem, .picker, hint: "move", help: "Next Region", footer: .always),
        KeyBinding([.up, .control("p")], .previousItem, .picker, hint: "move", help: "Previous Region", footer: .always),
        KeyBinding([.pageDown], .pageDown, .picker, hint: "page", help: "Page down"),
        KeyBinding([.pageUp], .pageUp, .picker, hint: "page", help: "Page up"),
        KeyBinding([.enter], .select, .picker, hint: "switch", help: "Switch to the highlighted Region", footer: .always),
        KeyBinding([.backspace], .deleteBackward, .picker, hint: "erase", help: "Erase the last character of the filter"),
        KeyBinding([.control("u")], .clearField, .picker, hint: "clear", help: "Clear the filter"),
        KeyBinding([.escape], .cancel, .picker, hint: "close", help: "Close without switching", footer: .always),

        KeyBinding([.escape, .character("q"), .character("?")], .cancel, .help, hint: "close", help: "Close the help", footer: .always),
        KeyBinding([.character("j"), .down], .moveDown, .help, hint: "scroll", help: "Scroll down", footer: .always),
        KeyBinding([.character("k"), .up], .moveUp, .help, hint: "scroll", help: "Scroll up"),
        KeyBinding([.pageDown, .control("d"), .control("f"), .character(" ")], .pageDown, .help, hint: "page", help: "Page down"),
        KeyBinding([.pageUp, .control("u"), .control("b")], .pageUp, .help, hint: "page", help: "Page up"),
        KeyBinding([.character("g"), .home], .top, .help, hint: "top", help: "Top of the help"),
        KeyBinding([.character("G"), .end], .bottom, .help, hint: "bottom", help: "Bottom of the help"),
    ]

    /// The command a key runs in the first of `contexts` that binds it.
    static func command(for key: Key, in contexts: [BindingContext]) -> Command? {
        for context in contexts {
            if let binding = table.first(where: { $0.context == context && $0.keys.contains(key) }) {
                return binding.command
            }
        }
        return nil
    }

    /// The footer entries of a context: keys and hint, bindings with the same hint merged.
    static func footerHints(for contexts: [BindingContext], repairable: Bool, glyphs: Glyphs) -> [(keys: String, hint: String)] {
        var hints: [(keys: String, hint: String)] = []
        for context in contexts {
            for binding in table where binding.context == context {
                switch binding.footer {
                case .never: continue
                case .repairable where !repairable: continue
                default: break
                }
                let label = binding.keys[0].label(glyphs)
                if let index = hints.firstIndex(where: { $0.hint == binding.hint }) {
                    hints[index].keys += "/" + label
                } else {
                    hints.append((label, binding.hint))
                }
            }
        }
        return hints
    }
}
