/// What a piece of the screen is, so that a theme can give it a colour and attributes.
public enum StyleRole: String, Sendable, CaseIterable, Hashable, Codable {
    case normal, dim, strong, accent, title, border, sectionTitle
    case appName, headerInfo, readOnlyBanner
    case columnHeader, columnSorted, changedRow, changedMarker
    case connected, connecting, disconnected, disconnecting, failed, errorCode
    case keyHint, keyLabel, statusInfo, statusSuccess, statusError
    case menuItem, menuDisabled, menuReason, menuHotkey
    case button, buttonFocused, dangerButton, dangerButtonFocused
    case fieldLabel, fieldValue, fieldFocused, fieldError, fieldDisabled
    case logTime, logStore, logCommand, logError
    case good, warning, bad

    /// One character per role in the style maps of frame tests ("." is normal).
    var code: Character {
        switch self {
        case .normal: "."
        case .dim: "d"
        case .strong: "s"
        case .accent: "a"
        case .title: "t"
        case .border: "|"
        case .sectionTitle: "T"
        case .appName: "A"
        case .headerInfo: "h"
        case .readOnlyBanner: "R"
        case .columnHeader: "c"
        case .columnSorted: "C"
        case .changedRow: "x"
        case .changedMarker: "X"
        case .connected: "g"
        case .connecting: "y"
        case .disconnected: "o"
        case .disconnecting: "w"
        case .failed: "F"
        case .errorCode: "E"
        case .keyHint: "k"
        case .keyLabel: "l"
        case .statusInfo: "i"
        case .statusSuccess: "+"
        case .statusError: "!"
        case .menuItem: "m"
        case .menuDisabled: "-"
        case .menuReason: "r"
        case .menuHotkey: "K"
        case .button: "b"
        case .buttonFocused: "B"
        case .dangerButton: "z"
        case .dangerButtonFocused: "Z"
        case .fieldLabel: "L"
        case .fieldValue: "v"
        case .fieldFocused: "V"
        case .fieldError: "e"
        case .fieldDisabled: "_"
        case .logTime: "1"
        case .logStore: "2"
        case .logCommand: "$"
        case .logError: "3"
        case .good: "G"
        case .warning: "W"
        case .bad: "#"
        }
    }
}

/// The style of one cell: its role, and whether it sits on the selected row.
public struct Style: Hashable, Sendable {
    public var role: StyleRole
    public var selected: Bool

    public init(_ role: StyleRole, selected: Bool = false) {
        self.role = role
        self.selected = selected
    }

    public static let normal = Style(.normal)

    func selecting(_ on: Bool) -> Style { Style(role, selected: on) }
}
