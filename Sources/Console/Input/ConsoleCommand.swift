/// A command typed after `:`.
public enum ConsoleCommand: Sendable, Equatable {
    case quit
    case connect(String?)
    case disconnect(String?)
    case edit(String?)
    case delete(String?)
    case open(String?)
    case create
    case sort(SortColumn, ascending: Bool?)
    case filter(String)
    case help
    case log
    case refresh
    case region(String?)

    /// What `:help` and an unknown command list.
    static let summary = "connect NAME, disconnect NAME, edit NAME, delete NAME, open NAME, create, sort COLUMN [asc|desc], filter TEXT, region NAME, log, refresh, help, q"

    /// Reads a command line (without its `:`); the error says what was wrong.
    static func parse(_ line: String) -> Result<ConsoleCommand, CommandError> {
        let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let verb = words.first?.lowercased() else { return .failure(CommandError(message: "Type a command: \(summary).")) }
        let rest = words.dropFirst().joined(separator: " ")
        let argument: String? = rest.isEmpty ? nil : rest
        switch verb {
        case "q", "q!", "quit", "exit", "wq": return .success(.quit)
        case "connect", "c": return .success(.connect(argument))
        case "disconnect", "dc": return .success(.disconnect(argument))
        case "edit", "update", "e": return .success(.edit(argument))
        case "delete", "del", "rm": return .success(.delete(argument))
        case "open", "detail", "describe", "show": return .success(.open(argument))
        case "create", "new": return .success(.create)
        case "filter", "f": return .success(.filter(rest))
        case "help", "h", "?": return .success(.help)
        case "log", "events": return .success(.log)
        case "refresh", "reload", "r": return .success(.refresh)
        case "region", "regions": return .success(.region(argument))
        case "sort", "s":
            let parts = words.dropFirst().map { $0.lowercased() }
            guard let first = parts.first, let column = SortColumn(argument: first) else {
                let columns = SortColumn.allCases.map(\.rawValue).joined(separator: ", ")
                return .failure(CommandError(message: "Sort by which column? \(columns)."))
            }
            var ascending: Bool?
            if parts.count > 1 {
                switch parts[1] {
                case "asc", "ascending", "up": ascending = true
                case "desc", "descending", "down", "reverse": ascending = false
                default: return .failure(CommandError(message: "Sort order is asc or desc, not \(parts[1])."))
                }
            }
            return .success(.sort(column, ascending: ascending))
        default:
            return .failure(CommandError(message: "Unknown command :\(verb). Commands: \(summary)."))
        }
    }

    /// Why a command line could not be read.
    struct CommandError: Error, Equatable {
        var message: String
    }
}
