/// Splits a command line into words as Python's `shlex.split` does (POSIX mode): whitespace separates,
/// single quotes keep everything, double quotes keep everything but `\"`, `\\`, `\$`, `` \` ``; a backslash
/// outside quotes escapes the next character. Nil when a quote is not closed.
enum ShellWords {
    static func split(_ text: String) -> [String]? {
        var words: [String] = []
        var current = ""
        var inWord = false
        var iterator = Array(text).makeIterator()
        while let character = iterator.next() {
            switch character {
            case " ", "\t", "\n", "\r":
                if inWord { words.append(current); current = ""; inWord = false }
            case "'":
                inWord = true
                var closed = false
                while let next = iterator.next() {
                    if next == "'" { closed = true; break }
                    current.append(next)
                }
                if !closed { return nil }
            case "\"":
                inWord = true
                var closed = false
                while let next = iterator.next() {
                    if next == "\"" { closed = true; break }
                    if next == "\\" {
                        guard let escaped = iterator.next() else { return nil }
                        if "\"\\$`".contains(escaped) { current.append(escaped) } else { current += "\\\(escaped)" }
                        continue
                    }
                    current.append(next)
                }
                if !closed { return nil }
            case "\\":
                inWord = true
                guard let escaped = iterator.next() else { return nil }
                current.append(escaped)
            default:
                inWord = true
                current.append(character)
            }
        }
        if inWord { words.append(current) }
        return words
    }
}
