import KeyStoreEngine

/// What sits over the screen and takes the keys until it closes.
public enum Modal: Sendable, Equatable {
    case actions(ActionsMenu)
    case disconnect(DisconnectConfirmation)
    case delete(DeleteConfirmation)
    case keyDeletion(KeyDeletionConfirmation)
    case connectAfterRepair(storeId: String, focus: Int)
    /// "Apply the simulated fix?" during a repair. Focus 1 applies it.
    case simulatedFix(storeId: String, focus: Int)
    case form(FormState)
    case help(scroll: Int)
    /// One entry of the event log in full, wrapped (Enter in the log).
    case logEntry(index: Int, scroll: Int)
    case quit(focus: Int)
    case regionPicker(RegionPicker)
}

/// The "Key store actions" menu of one store (or of none, when the table is empty).
public struct ActionsMenu: Sendable, Equatable {
    public var storeId: String?
    public var cursor: Int

    public init(storeId: String?, cursor: Int = 0) {
        self.storeId = storeId
        self.cursor = cursor
    }
}

/// One entry of the actions menu: what it does, its hotkey, and why it is greyed when it is.
public struct MenuItem: Sendable, Equatable {
    /// What the entry does.
    public enum Kind: Sendable, Equatable { case connect, disconnect, edit, createKey, repair, delete, create }

    public var kind: Kind
    public var title: String
    public var hotkey: Character
    /// Nil when the item can be chosen; otherwise why not, in the rules' words.
    public var disabledReason: String?
}

/// "Disconnect this store?", listing the keys that become Unavailable. Focus 0 is Cancel.
public struct DisconnectConfirmation: Sendable, Equatable {
    public var storeId: String
    public var focus = 0
    /// True when this disconnect is the first step of a repair.
    public var forRepair = false

    public init(storeId: String, focus: Int = 0, forRepair: Bool = false) {
        self.storeId = storeId
        self.focus = focus
        self.forRepair = forRepair
    }
}

/// "Type the store's name to delete it." The focus starts on Cancel.
public struct DeleteConfirmation: Sendable, Equatable {
    /// Which control has the focus.
    public enum Focus: Sendable, Equatable { case cancel, name, delete }

    public var storeId: String
    public var typedName = ""
    public var focus: Focus = .cancel

    public init(storeId: String) {
        self.storeId = storeId
    }
}

/// "Schedule the deletion of this KMS key?", with the waiting period typed in days. Focus 0 is Cancel.
public struct KeyDeletionConfirmation: Sendable, Equatable {
    public var storeId: String
    public var keyId: String
    public var daysText = String(KeyRules.defaultPendingWindowDays)
    public var focus = 0

    public init(storeId: String, keyId: String) {
        self.storeId = storeId
        self.keyId = keyId
    }
}
