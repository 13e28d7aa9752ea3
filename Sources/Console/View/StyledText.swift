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

    /// The line cut to `width` columns, ending with `ellipsis` when text (more than spaces) was cut.
    func truncated(to width: Int, ellipsis: String) -> StyledLine {
        let total = self.width
        guard total > width else { return self }
        let overflowIsBlank = plainText.reversed().prefix { $0 == " " }.count >= total - width
        let mark = overflowIsBlank || TextWidth.of(ellipsis) > width ? "" : ellipsis
        let room = max(0, width - TextWidth.of(mark))
        var result = StyledLine()
        var used = 0
        for span in spans {
            let spanWidth = TextWidth.of(span.text)
            if used + spanWidth <= room {
                result.spans.append(span)
                used += spanWidth
                continue
            }
            var last = span
            last.text = TextWidth.truncate(span.text, to: room - used, ellipsis: "") + mark
            result.spans.append(last)
            break
        }
        return result
    }
}
