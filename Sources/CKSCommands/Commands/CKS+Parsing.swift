import ArgumentParser

extension CKS {
    /// Parses a command line. `cks NAME …` for a command without subcommands is first parsed as that command
    /// alone: the whole tree would have ArgumentParser reflect every command before it parses (most of a short
    /// command's start-up). Whatever that does not parse (help, `--version`, mistakes, options of `cks` itself)
    /// goes through the whole tree, so every message and exit status stays as it was.
    static func parseCommand(_ arguments: [String]) throws -> any ParsableCommand {
        if arguments.first == "list", let list = ListStores.quickParse(Array(arguments.dropFirst())) { return list }
        if let name = arguments.first, let command = leafCommand(named: name),
           let parsed = try? command.parse(Array(arguments.dropFirst())) {
            return parsed
        }
        return try parseAsRoot(arguments)
    }

    /// The subcommands of `cks` that have no subcommands of their own, by the name ArgumentParser gives them
    /// (a test checks that this matches `configuration.subcommands`).
    static func leafCommand(named name: String) -> (any ParsableCommand.Type)? {
        switch name {
        case "list": ListStores.self
        case "describe": DescribeStore.self
        case "connect": Connect.self
        case "disconnect": Disconnect.self
        case "create": Create.self
        case "update": Update.self
        case "delete": Delete.self
        case "keys": Keys.self
        case "create-key": CreateKey.self
        case "describe-key": DescribeKey.self
        case "enable-key": EnableKey.self
        case "disable-key": DisableKey.self
        case "schedule-key-deletion": ScheduleKeyDeletion.self
        case "cancel-key-deletion": CancelKeyDeletion.self
        case "serve": Serve.self
        case "whoami": WhoAmI.self
        default: nil
        }
    }
}
