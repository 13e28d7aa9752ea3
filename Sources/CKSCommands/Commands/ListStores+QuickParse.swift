import ArgumentParser
import Simulator

extension ListStores {
    /// `cks list` with its options in their plain forms, without ArgumentParser's reflection of the command:
    /// that reflection was a fifth of `cks list --output json`'s start-up (for each option's type the Swift
    /// runtime scans every protocol conformance in the binary). Only `--option value` (and `-o value`) for
    /// options of ListStores and WorldOptions, each at most once, with values their own types accept, and
    /// `--read-only`; anything else (help, `--option=value`, a value that starts with `-`, a mistake) returns
    /// nil and goes through ArgumentParser, whose messages stay the only ones. The same checks (`validate()`)
    /// run either way, and a test parses a corpus of command lines both ways.
    static func quickParse(_ arguments: [String]) -> ListStores? {
        var values: [String: String] = [:]
        var readOnly = false
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            if argument == "--read-only" {
                guard !readOnly else { return nil }
                readOnly = true
                index += 1
                continue
            }
            let name = argument == "-o" ? "--output" : argument
            guard quickOptions.contains(name), values[name] == nil, index + 1 < arguments.endIndex else { return nil }
            let value = arguments[index + 1]
            guard !value.hasPrefix("-") else { return nil }
            values[name] = value
            index += 2
        }
        func parsed<T: ExpressibleByArgument>(_ name: String, as _: T.Type) -> T?? {
            guard let text = values[name] else { return .some(nil) }
            guard let value = T(argument: text) else { return nil }
            return .some(value)
        }
        guard let type = parsed("--type", as: StoreTypeArgument.self), let limit = parsed("--limit", as: Int.self),
              let output = parsed("--output", as: OutputFormat.self), let pace = parsed("--pace", as: WorkflowPace.self),
              let backend = parsed("--backend", as: WorldOptions.Backend.self)
        else { return nil }

        var world = WorldOptions()
        world.pace = pace
        world.backend = backend ?? .simulator
        world.region = values["--region"]
        world.profile = values["--profile"]
        world.endpointUrl = values["--endpoint-url"]
        world.readOnly = readOnly
        var command = ListStores()
        command.id = values["--id"]
        command.name = values["--name"]
        command.type = type
        command.limit = limit
        command.marker = values["--marker"]
        command.output = output ?? .table
        command.world = world
        guard (try? world.validate()) != nil, (try? command.validate()) != nil else { return nil }
        return command
    }

    private static let quickOptions: Set<String> = [
        "--id", "--name", "--type", "--limit", "--marker", "--output", "--pace", "--backend", "--region", "--profile", "--endpoint-url",
    ]
}
