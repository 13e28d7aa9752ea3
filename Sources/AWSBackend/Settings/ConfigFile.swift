/// An AWS shared config or credentials file, read as botocore's `raw_config_parse` reads it: `[section]`
/// headers, `key = value` or `key: value` lines (names lower-cased), `#` and `;` comment lines, and indented
/// lines under an empty value forming a nested block (`s3 =\n  max_concurrent_requests = 20`).
public struct ConfigFile: Sendable, Hashable {
    /// One `[section]`: plain values, and the nested blocks by their key.
    public struct Section: Sendable, Hashable {
        public var values: [String: String] = [:]
        public var nested: [String: [String: String]] = [:]

        public init(values: [String: String] = [:], nested: [String: [String: String]] = [:]) {
            self.values = values
            self.nested = nested
        }
    }

    /// Sections by their header text (`profile dev`, `default`, `services local`).
    public var sections: [String: Section]

    public init(sections: [String: Section] = [:]) {
        self.sections = sections
    }

    /// Why a file could not be read as INI text.
    public struct ParseError: Error, Sendable, Hashable {
        public var line: Int
        public var reason: String
    }

    /// Parses the text of a config or credentials file.
    public static func parse(_ text: String) throws(ParseError) -> ConfigFile {
        var parser = Parser()
        // `\r\n` is one Character in Swift, and a newline like `\n`.
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            try parser.feed(String(rawLine), number: index + 1)
        }
        parser.finishOption()
        return ConfigFile(sections: parser.sections)
    }

    private struct Parser {
        var sections: [String: Section] = [:]
        var section: String?
        /// The option being read: its name, indentation, and lines so far.
        var option: (name: String, indent: Int, lines: [String])?

        mutating func feed(_ line: String, number: Int) throws(ParseError) {
            let stripped = line.trimmingWhitespace
            if stripped.isEmpty || stripped.hasPrefix("#") || stripped.hasPrefix(";") {
                // An empty line or a comment does not end a nested block; an unindented line will.
                return
            }
            let indent = line.prefix { $0 == " " || $0 == "\t" }.count
            if let current = option, indent > current.indent {
                option?.lines.append(stripped)
                return
            }
            finishOption()
            if stripped.hasPrefix("["), let close = stripped.lastIndex(of: "]") {
                let header = String(stripped[stripped.index(after: stripped.startIndex)..<close])
                guard !header.isEmpty else { throw ParseError(line: number, reason: "an empty section header") }
                section = header
                if sections[header] == nil { sections[header] = Section() }
                return
            }
            guard section != nil else {
                throw ParseError(line: number, reason: "a setting before any [section] header")
            }
            guard let delimiter = stripped.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                throw ParseError(line: number, reason: "a line that is neither a [section], a `name = value` setting nor a comment")
            }
            let name = String(stripped[..<delimiter]).trimmingWhitespace.lowercased()
            let value = String(stripped[stripped.index(after: delimiter)...]).trimmingWhitespace
            option = (name, indent, [value])
        }

        mutating func finishOption() {
            guard let current = option, let section else { return }
            option = nil
            if current.lines.count > 1, current.lines[0].isEmpty {
                var nested: [String: String] = [:]
                for line in current.lines.dropFirst() {
                    guard let equals = line.firstIndex(of: "=") else { continue }
                    nested[String(line[..<equals]).trimmingWhitespace] = String(line[line.index(after: equals)...]).trimmingWhitespace
                }
                sections[section]?.nested[current.name] = nested
                sections[section]?.values[current.name] = nil
            } else {
                sections[section]?.values[current.name] = current.lines.joined(separator: "\n")
                sections[section]?.nested[current.name] = nil
            }
        }
    }
}

extension StringProtocol {
    /// The text without leading and trailing whitespace (newlines included).
    var trimmingWhitespace: String {
        guard let first = firstIndex(where: { !$0.isWhitespace }) else { return "" }
        let last = lastIndex(where: { !$0.isWhitespace })!
        return String(self[first...last])
    }
}
