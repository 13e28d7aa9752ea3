import Assets
import Foundation

/// A colour in a theme: the terminal's own default, or a palette index (0-15 ANSI, 16-255 the 256-colour cube).
public enum ThemeColor: Sendable, Hashable, Decodable {
    case terminalDefault
    case index(Int)

    static let names: [String: Int] = [
        "black": 0, "red": 1, "green": 2, "yellow": 3, "blue": 4, "magenta": 5, "cyan": 6, "white": 7,
        "brightBlack": 8, "gray": 8, "grey": 8, "brightRed": 9, "brightGreen": 10, "brightYellow": 11,
        "brightBlue": 12, "brightMagenta": 13, "brightCyan": 14, "brightWhite": 15,
    ]

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int.self), (0...255).contains(number) {
            self = .index(number)
            return
        }
        let name = try container.decode(String.self)
        if name == "default" {
            self = .terminalDefault
        } else if let index = Self.names[name] {
            self = .index(index)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "unknown colour \(name)")
        }
    }
}

/// How one role looks: colours and attributes. Attributes survive NO_COLOR; colours do not.
public struct ThemeStyle: Sendable, Hashable, Decodable {
    public var fg: ThemeColor?
    public var bg: ThemeColor?
    public var bold: Bool?
    public var dim: Bool?
    public var underline: Bool?
    public var reverse: Bool?

    public init(fg: ThemeColor? = nil, bg: ThemeColor? = nil, bold: Bool? = nil, dim: Bool? = nil,
                underline: Bool? = nil, reverse: Bool? = nil) {
        self.fg = fg
        self.bg = bg
        self.bold = bold
        self.dim = dim
        self.underline = underline
        self.reverse = reverse
    }
}

/// A colour theme read from assets/themes/<name>.json: a style per role, and the selected-row style.
public struct Theme: Sendable, Hashable {
    public var name: String
    public var roles: [StyleRole: ThemeStyle]
    /// Laid over a role's style on the selected row (its background, usually).
    public var selection: ThemeStyle

    public static let names = ["dark", "light", "default"]

    /// The theme of that name compiled into the binary; the plain built-in one when it is missing or broken.
    public static func named(_ name: String) -> Theme {
        guard let text = Assets.text("themes/\(name).json"), let theme = try? Theme(json: Data(text.utf8)) else {
            return .builtIn
        }
        return theme
    }

    /// Reads a theme file. Unknown roles are an error, so that a typo does not silently lose a colour.
    public init(json: Data) throws {
        struct File: Decodable {
            var name: String
            var selection: ThemeStyle
            var roles: [String: ThemeStyle]
        }
        let file = try JSONDecoder().decode(File.self, from: json)
        var roles: [StyleRole: ThemeStyle] = [:]
        for (key, style) in file.roles {
            guard let role = StyleRole(rawValue: key) else {
                throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "unknown role \(key)"))
            }
            roles[role] = style
        }
        self.init(name: file.name, roles: roles, selection: file.selection)
    }

    public init(name: String, roles: [StyleRole: ThemeStyle], selection: ThemeStyle) {
        self.name = name
        self.roles = roles
        self.selection = selection
    }

    public func style(_ role: StyleRole) -> ThemeStyle { roles[role] ?? ThemeStyle() }

    /// Attributes only, for when the theme files are missing: still readable, never colour alone.
    public static let builtIn = Theme(name: "built-in", roles: [
        .title: ThemeStyle(bold: true), .strong: ThemeStyle(bold: true), .dim: ThemeStyle(dim: true),
        .appName: ThemeStyle(bold: true, reverse: true), .sectionTitle: ThemeStyle(bold: true, underline: true),
        .failed: ThemeStyle(bold: true), .statusError: ThemeStyle(bold: true), .buttonFocused: ThemeStyle(reverse: true),
        .dangerButtonFocused: ThemeStyle(bold: true, reverse: true), .fieldFocused: ThemeStyle(underline: true),
        .fieldValue: ThemeStyle(underline: true), .menuDisabled: ThemeStyle(dim: true), .menuReason: ThemeStyle(dim: true),
        .keyHint: ThemeStyle(bold: true), .columnSorted: ThemeStyle(bold: true, underline: true),
        .columnHeader: ThemeStyle(bold: true), .readOnlyBanner: ThemeStyle(bold: true, reverse: true),
    ], selection: ThemeStyle(reverse: true))
}
