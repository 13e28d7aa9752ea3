/// What the terminal draws for a style: colours as palette indices (-1 is the terminal's default) and attributes.
struct ResolvedStyle: Hashable, Sendable {
    var foreground = -1
    var background = -1
    var bold = false
    var dim = false
    var underline = false
    var reverse = false
}

/// Turns a style into colours and attributes the terminal can show, for a theme, a palette size and NO_COLOR.
struct StyleResolver: Sendable {
    let theme: Theme
    /// How many colours the terminal has (8, 16, 256); 0 when colour is off (NO_COLOR, --no-color, no support).
    let colorCount: Int

    func resolve(_ style: Style) -> ResolvedStyle {
        let base = theme.style(style.role)
        var resolved = ResolvedStyle(
            foreground: color(base.fg), background: color(base.bg),
            bold: base.bold ?? false, dim: base.dim ?? false,
            underline: base.underline ?? false, reverse: base.reverse ?? false
        )
        if style.selected {
            let selection = theme.selection
            let selectionBackground = color(selection.bg)
            if selectionBackground >= 0 {
                resolved.background = selectionBackground
            } else if selection.bg != nil || colorCount == 0 || selection.reverse == true {
                resolved.reverse.toggle()
            }
            if selection.bold == true { resolved.bold = true }
            if selection.underline == true { resolved.underline = true }
        }
        if colorCount == 0, resolved.foreground >= 0 || resolved.background >= 0 {
            resolved.foreground = -1
            resolved.background = -1
        }
        return resolved
    }

    /// A theme colour as an index the terminal has: 256-colour indices fold to the 8 or 16 basic ones.
    func color(_ color: ThemeColor?) -> Int {
        guard colorCount > 0, let color else { return -1 }
        switch color {
        case .terminalDefault:
            return -1
        case let .index(index):
            if index < colorCount { return index }
            return Self.basic(index, colors: colorCount)
        }
    }

    /// The nearest of the first 8 (or 16) colours to a 256-colour index.
    static func basic(_ index: Int, colors: Int) -> Int {
        let rgb: (Int, Int, Int)
        switch index {
        case 8..<16:
            return colors >= 16 ? index : index - 8
        case 16..<232:
            let n = index - 16
            let levels = [0, 95, 135, 175, 215, 255]
            rgb = (levels[n / 36], levels[(n / 6) % 6], levels[n % 6])
        case 232..<256:
            let level = 8 + (index - 232) * 10
            rgb = (level, level, level)
        default:
            return index % 8
        }
        let brightness = max(rgb.0, rgb.1, rgb.2)
        let threshold = (brightness + min(rgb.0, rgb.1, rgb.2)) / 2
        let bits = (rgb.0 > threshold ? 1 : 0) | (rgb.1 > threshold ? 2 : 0) | (rgb.2 > threshold ? 4 : 0)
        if brightness < 60 { return 0 }
        let spread = brightness - min(rgb.0, rgb.1, rgb.2)
        if spread < 40 {
            if colors >= 16 { return brightness > 200 ? 15 : (brightness > 120 ? 7 : 8) }
            return brightness > 120 ? 7 : 0
        }
        let basic = bits == 0 ? 7 : bits
        return colors >= 16 && brightness > 200 ? basic + 8 : basic
    }
}
