import AWSBackend
import ArgumentParser
import Console
import Foundation
import KeyStoreEngine

/// `cks`: the console for AWS KMS custom key stores, and the commands that mirror `aws kms`.
public struct CKS: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "cks",
        abstract: "A terminal console for AWS KMS custom key stores.",
        discussion: """
            With no command, cks opens the console: every custom key store with its connection state, live. \
            It runs on an embedded simulator (a world kept in $CKS_HOME, default ~/.local/share/cks), so you can \
            connect, disconnect, break and repair stores without an AWS account.

            Exit status: 0 success, 1 an error from KMS, 2 bad usage or an unusable world, 3 a store ended FAILED.
            """,
        version: "0.1.0",
        subcommands: [
            ListStores.self, DescribeStore.self, Connect.self, Disconnect.self, Create.self, Update.self, Delete.self,
            Keys.self, CreateKey.self, DescribeKey.self, EnableKey.self, DisableKey.self, ScheduleKeyDeletion.self, CancelKeyDeletion.self,
            Sim.self, Serve.self, XKSProxyCommand.self, WhoAmI.self,
        ]
    )

    @OptionGroup var world: WorldOptions

    @Flag(name: .long, help: "Draw with ASCII only (for terminals without UTF-8).")
    var ascii = false

    @Flag(name: .long, help: "No colours (also NO_COLOR).")
    var noColor = false

    @Option(name: .long, help: ArgumentHelp("Colour theme: dark, light or default (the terminal's colours).", valueName: "theme"))
    var theme: String?

    public init() {}

    /// `--trust-anchor-certificate "$(cat customerCA.crt)"`: a PEM starts with dashes, which the parser would
    /// take for an option, so it is attached to its option as `--option=PEM`.
    static func attachingPEMValues(_ arguments: [String]) -> [String] {
        var result: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument.hasPrefix("--"), !argument.contains("="), index + 1 < arguments.count,
               arguments[index + 1].hasPrefix("-----BEGIN") {
                result.append(argument + "=" + arguments[index + 1])
                index += 2
            } else {
                result.append(argument)
                index += 1
            }
        }
        return result
    }

    /// Parses and runs a command. Usage errors exit 2 (not ArgumentParser's 64), as `cks --help` documents.
    public static func runMain(arguments: [String]? = nil) async -> Never {
        do {
            var command = try parseCommand(attachingPEMValues(arguments ?? Array(CommandLine.arguments.dropFirst())))
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            Foundation.exit(0)
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { print(message) }
                Foundation.exit(0)
            }
            if !message.isEmpty { FileHandle.standardError.write(Data((message + "\n").utf8)) }
            Foundation.exit(code == .validationFailure ? ExitStatus.usage : code.rawValue)
        }
    }

    @MainActor
    public mutating func run() async throws {
        let service: any KeyStoreService
        do {
            service = try world.openConsoleService()
        } catch let error as CLIError {
            printError(error.message)
            throw ExitCode(error.exitCode)
        }
        if let preparing = service as? any ConsolePreparation { await preparing.prepareForConsole() }
        let options = ConsoleOptions(readOnly: world.readOnly, ascii: ascii ? true : nil, theme: theme, noColor: noColor)
        let status = await ConsoleApp.run(service: service, options: options)
        if status != 0 { throw ExitCode(status) }
    }
}
