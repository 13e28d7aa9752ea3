import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import KeyStoreEngine

/// How the console looks and what it allows, from the command line.
public struct ConsoleOptions: Sendable {
    /// Every change is greyed with the reason "read-only mode".
    public var readOnly: Bool
    /// ASCII symbols only; nil detects it from the locale (a non-UTF-8 codeset means ASCII).
    public var ascii: Bool?
    /// "dark", "light" or "default" (the terminal's own colours); nil is "default".
    public var theme: String?
    /// No colours at all; NO_COLOR in the environment does the same.
    public var noColor: Bool

    public init(readOnly: Bool = false, ascii: Bool? = nil, theme: String? = nil, noColor: Bool = false) {
        self.readOnly = readOnly
        self.ascii = ascii
        self.theme = theme
        self.noColor = noColor
    }
}

/// The interactive console: `cks` with no arguments.
public enum ConsoleApp {
    /// Runs the console on a service until the person quits; returns the exit status.
    @MainActor
    public static func run(service: any KeyStoreService, options: ConsoleOptions) async -> Int32 {
        setlocale(LC_ALL, "")
        let environment = ProcessInfo.processInfo.environment
        let ascii = options.ascii ?? !localeIsUTF8()
        let noColor = options.noColor || !(environment["NO_COLOR"] ?? "").isEmpty
        let themeName = options.theme ?? "default"
        guard Theme.names.contains(themeName) else {
            printError("cks: unknown theme \(themeName); choose dark, light or default.")
            return 2
        }

        let input: InputWaiter
        let terminal: Terminal
        do {
            input = try InputWaiter()
            SignalRelay.saveTerminalSettings()
            SignalRelay.install(pipe: input.pipeWriteEnd)
            terminal = try Terminal(theme: Theme.named(themeName), colors: !noColor)
        } catch let error as Terminal.StartError {
            SignalRelay.uninstall()
            printError("cks: \(error.message)")
            return 1
        } catch {
            printError("cks: the console could not start: \(error)")
            return 1
        }
        SignalRelay.setRestoreSequence(terminal.restoreSequence())

        let state = AppState(backend: service.backend, regionChoices: EffectHost.regionChoices(of: service),
                             readOnly: options.readOnly, glyphs: ascii ? .ascii : .unicode, size: terminal.size)
        let runtime = ConsoleRuntime(state: state, service: service, terminal: terminal, input: input)
        let status = await runtime.run()
        terminal.end()
        SignalRelay.uninstall()

        let running = runtime.runningSummary
        if !running.isEmpty {
            print("Still running, and going on without cks:")
            for line in running { print("  " + line) }
            print("Run `cks list` (or open cks again) to see how they end.")
        }
        return status
    }

    /// True when the locale's character set is UTF-8 (under LANG=C, symbols would vanish).
    static func localeIsUTF8() -> Bool {
        guard let codeset = nl_langinfo(nl_item(CODESET)) else { return false }
        let name = String(cString: codeset).uppercased()
        return name == "UTF-8" || name == "UTF8"
    }

    private static func printError(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}
