import SigV4

/// Reads a request in the test suite's `request.txt` form: request line, `Name:value` headers (a line that
/// starts with white space continues the previous value), an empty line, then the body.
enum HTTPRequestText {
    static func parse(_ text: String) -> SigV4Request {
        let (head, body) = split(text)
        var lines = head.split(separator: "\n", omittingEmptySubsequences: false)[...]
        let requestLine = lines.removeFirst()
        let method = requestLine.prefix { $0 != " " }
        let target = requestLine.dropFirst(method.count + 1).dropLast(" HTTP/1.1".count)
        let (path, query) = target.firstIndex(of: "?").map { (target[..<$0], target[target.index(after: $0)...]) }
            ?? (target, "")

        var headers: [(name: String, value: String)] = []
        for line in lines where !line.isEmpty {
            if line.first == " " || line.first == "\t", let last = headers.indices.last {
                headers[last].value += " " + line
            } else {
                let name = line.prefix { $0 != ":" }
                headers.append((name: String(name), value: String(line.dropFirst(name.count + 1))))
            }
        }
        return SigV4Request(
            method: String(method), path: String(path), query: String(query), headers: headers, body: Array(body.utf8)
        )
    }

    private static func split(_ text: String) -> (head: Substring, body: Substring) {
        guard let blank = text.range(of: "\n\n") else { return (text[...], "") }
        return (text[..<blank.lowerBound], text[blank.upperBound...])
    }
}
