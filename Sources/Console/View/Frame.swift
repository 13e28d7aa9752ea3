/// A rectangle of cells, in columns and rows.
public struct Rect: Hashable, Sendable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    var maxX: Int { x + width }
    var maxY: Int { y + height }
    var isEmpty: Bool { width == 0 || height == 0 }

    func inset(by amount: Int) -> Rect {
        Rect(x: x + amount, y: y + amount, width: width - 2 * amount, height: height - 2 * amount)
    }

    func inset(dx: Int, dy: Int) -> Rect {
        Rect(x: x + dx, y: y + dy, width: width - 2 * dx, height: height - 2 * dy)
    }

    /// A rectangle of the given size centred in this one (clamped to it).
    func centered(width w: Int, height h: Int) -> Rect {
        let w = min(w, width), h = min(h, height)
        return Rect(x: x + (width - w) / 2, y: y + (height - h) / 2, width: w, height: h)
    }
}

/// The size of the terminal, in columns and rows.
public struct Size: Hashable, Sendable {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }
}

/// One terminal cell: a grapheme and its style. The cell right of a wide grapheme is its continuation.
public struct Cell: Hashable, Sendable {
    /// The grapheme, or "" for the continuation of a wide one.
    public var text: String
    /// 1 or 2 columns; 0 for a continuation.
    public var width: UInt8
    public var style: Style

    public static let blank = Cell(text: " ", width: 1, style: .normal)

    public init(text: String, width: UInt8, style: Style) {
        self.text = text
        self.width = width
        self.style = style
    }

    var isContinuation: Bool { width == 0 }
}

/// The whole screen as a grid of cells: what `render` draws and what `Terminal` diffs.
public struct Frame: Hashable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]
    /// What ends text cut at a limit or at the frame's edge (`…`, or `~` in ASCII mode).
    public var ellipsis = "…"
    /// Where the terminal cursor should be shown (a text field being edited), if anywhere.
    public var cursor: (x: Int, y: Int)? {
        get { cursorPosition.map { ($0 % max(width, 1), $0 / max(width, 1)) } }
        set { cursorPosition = newValue.map { $0.y * width + $0.x } }
    }
    private var cursorPosition: Int?

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    public subscript(x: Int, y: Int) -> Cell {
        cells[y * width + x]
    }

    /// Writes text from (x, y) without passing `limit` (exclusive column); returns the column after it.
    /// Text cut at the limit ends with the ellipsis, so that a cut never passes for the whole (spaces cut go silently).
    @discardableResult
    mutating func put(_ text: String, x: Int, y: Int, style: Style, limit: Int? = nil) -> Int {
        let limit = min(limit ?? width, width)
        guard y >= 0, y < height else { return x }
        if x >= 0, x < limit, TextWidth.of(text) > limit - x {
            let cut = StyledLine(text).truncated(to: limit - x, ellipsis: ellipsis).plainText
            if cut != text { return put(cut, x: x, y: y, style: style, limit: limit) }
        }
        var column = x
        for character in text {
            let w = TextWidth.of(character)
            if w == 0 { continue }
            if column + w > limit {
                if w == 2, column < limit, column >= 0 { set(Cell(text: " ", width: 1, style: style), x: column, y: y) }
                return limit
            }
            if column >= 0 {
                set(Cell(text: String(character), width: UInt8(w), style: style), x: column, y: y)
                if w == 2 { set(Cell(text: "", width: 0, style: style), x: column + 1, y: y) }
            }
            column += w
        }
        return column
    }

    /// Writes spans one after another from (x, y); returns the column after them.
    @discardableResult
    mutating func put(_ line: StyledLine, x: Int, y: Int, limit: Int? = nil, selected: Bool = false) -> Int {
        var line = line
        let end = min(limit ?? width, width)
        if x >= 0, x < end, line.width > end - x { line = line.truncated(to: end - x, ellipsis: ellipsis) }
        var column = x
        for span in line.spans {
            column = put(span.text, x: column, y: y, style: span.style.selecting(selected || span.style.selected), limit: limit)
        }
        return column
    }

    /// Paints a rectangle with spaces of a style.
    mutating func fill(_ rect: Rect, style: Style = .normal) {
        for row in max(0, rect.y)..<min(height, rect.maxY) {
            for column in max(0, rect.x)..<min(width, rect.maxX) {
                set(Cell(text: " ", width: 1, style: style), x: column, y: row)
            }
        }
    }

    /// Changes the style of every cell of a rectangle, keeping its text.
    mutating func restyle(_ rect: Rect, _ transform: (Style) -> Style) {
        for row in max(0, rect.y)..<min(height, rect.maxY) {
            for column in max(0, rect.x)..<min(width, rect.maxX) {
                cells[row * width + column].style = transform(cells[row * width + column].style)
            }
        }
    }

    private mutating func set(_ cell: Cell, x: Int, y: Int) {
        guard x >= 0, x < width, y >= 0, y < height else { return }
        let index = y * width + x
        let old = cells[index]
        if old.isContinuation, x > 0 {
            cells[index - 1] = Cell(text: " ", width: 1, style: cells[index - 1].style)
        }
        if old.width == 2, cell.width != 2, x + 1 < width, cells[index + 1].isContinuation {
            cells[index + 1] = Cell(text: " ", width: 1, style: old.style)
        }
        cells[index] = cell
    }

    public static func == (lhs: Frame, rhs: Frame) -> Bool {
        lhs.width == rhs.width && lhs.height == rhs.height && lhs.cells == rhs.cells && lhs.cursorPosition == rhs.cursorPosition
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(width)
        hasher.combine(height)
        hasher.combine(cells)
    }
}

extension Frame {
    /// The cells (as indices into `cells`) that differ from `previous`: every cell when there is no previous
    /// frame of the same size. Continuations of wide graphemes are left out; the terminal draws them.
    public func changedCells(since previous: Frame?) -> [Int] {
        guard let previous, previous.width == width, previous.height == height else {
            return cells.indices.filter { !cells[$0].isContinuation }
        }
        var changed: [Int] = []
        for index in cells.indices where cells[index] != previous.cells[index] && !cells[index].isContinuation {
            changed.append(index)
        }
        return changed
    }

    /// The frame as text, one line per row, trailing spaces removed: what frame tests compare.
    public var text: String {
        (0..<height).map { row in line(row) }.joined(separator: "\n")
    }

    /// One row as text, trailing spaces removed.
    public func line(_ row: Int) -> String {
        var text = ""
        for column in 0..<width {
            text += self[column, row].text
        }
        while text.last == " " { text.removeLast() }
        return text
    }

    /// The style roles as one character per column (see `StyleRole.code`); selected cells are marked
    /// in `selectionMap`.
    public var styleMap: String {
        (0..<height).map { row in
            var codes = ""
            for column in 0..<width { codes.append(self[column, row].style.role.code) }
            return codes
        }.joined(separator: "\n")
    }

    /// Which rows contain a selected cell.
    public var selectedRows: [Int] {
        (0..<height).filter { row in (0..<width).contains { self[$0, row].style.selected } }
    }

    /// The first row whose text contains `needle`.
    public func row(containing needle: String) -> Int? {
        (0..<height).first { line($0).contains(needle) }
    }

    /// The style of the first cell where `needle` starts on its first row.
    public func style(of needle: String) -> Style? {
        guard let row = row(containing: needle) else { return nil }
        var text = ""
        var columns: [Int] = []
        for column in 0..<width {
            let cell = self[column, row]
            for _ in cell.text { columns.append(column) }
            text += cell.text
        }
        guard let range = text.range(of: needle) else { return nil }
        let offset = text.distance(from: text.startIndex, to: range.lowerBound)
        return self[columns[offset], row].style
    }
}
