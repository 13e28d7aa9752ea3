/// A run of text in one style.
public struct Span: Hashable, Sendable {
    public var text: String
    public var style: Style

    public init(_ text: String, _ role: StyleRole = .normal) {
        self.text = text
        self.style = Style(role)
    }
}

/// A line made of styled spans, drawn left to right.
public struct StyledLine: Hashable, Sendable, ExpressibleByStringLiteral {
    public var spans: [Span]

    public init(_ spans: [Span] = []) {
        self.spans = spans
    }

    public init(_ text: String, _ role: StyleRole = .normal) {
        self.spans = [Span(text, role)]
    }

    public init(stringLiteral value: String) {
        self.spans = [Span(value)]
    }

    var width: Int { spans.reduce(0) { $0 + TextWidth.of($1.text) } }
    var plainText: String { spans.map(\.text).joined() }

    static func + (lhs: StyledLine, rhs: StyledLine) -> StyledLine { StyledLine(lhs.spans + rhs.spans) }

    mutating func append(_ text: String, _ role: StyleRole = .normal) {
        spans.append(Span(text, role))
    }

    /// The line cut to `width` columns.
    func truncated(to width: Int, ellipsis: String) -> StyledLine {
        var result = StyledLine()
        var used = 0
        for (index, span) in spans.enumerated() {
            let w = TextWidth.of(span.text)
            if used + w <= width, index < spans.count - 1 || used + w <= width {
                result.spans.append(span)
                used += w
                continue
            }
            let cut = TextWidth.truncate(span.text, to: width - used, ellipsis: ellipsis)
            result.spans.append(Span(cut, span.style.role))
            break
        }
        return result
    }
}
