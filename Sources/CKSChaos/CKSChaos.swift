import ArgumentParser
import ChaosHarness
import Foundation

/// `cks-chaos`: the chaos harness (`run`) and the abuse of `cks serve` (`abuse`); scripts/chaos runs both.
@main
struct CKSChaos: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cks-chaos",
        abstract: "Kill cks processes at random while they share one world, then check the world file.",
        subcommands: [Run.self, Abuse.self, Console.self],
        defaultSubcommand: Run.self
    )
}

/// Where the `cks` under test is: --cks, else the one built next to this program.
struct CKSLocation: ParsableArguments {
    @Option(help: "The cks executable to test (default: the one next to cks-chaos).")
    var cks: String?

    var url: URL {
        if let cks { return URL(fileURLWithPath: cks) }
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        return here.appending(path: "cks")
    }

    func validate() throws {
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw ValidationError("No cks executable at \(url.path). Build it first (swift build), or pass --cks PATH.")
        }
    }
}

extension CKSChaos {
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The chaos run: CLI connects and disconnects, cks serve with KMS clients and a console in tmux on one world, a killer, then the checks.",
            discussion: "Prints one summary line; exits 1 when a problem was found (the first ones are listed), 2 when the harness itself failed."
        )

        @Option(help: "How long the processes work and the killer kills, in seconds.")
        var seconds: Double = 60

        @Option(help: "The seed of every random choice.")
        var seed: UInt64 = 1

        @Option(help: "Keep the world in this folder (default: a temporary folder, removed afterwards).")
        var home: String?

        @Option(help: "Processes running connect/disconnect --wait one after another.")
        var cliWorkers = 2

        @Option(help: "Threads sending KMS calls to cks serve.")
        var kmsClients = 2

        @Option(help: "A pause after each KMS call, in seconds (0: as fast as the server answers).")
        var kmsPause: Double = 0

        @Option(help: "The shortest and longest pause between two kills, in seconds (MIN-MAX).")
        var killGap = "0.3-0.9"

        @Flag(help: "Leave out the console in tmux.")
        var noConsole = false

        @OptionGroup var location: CKSLocation

        func run() throws {
            let bounds = killGap.split(separator: "-").compactMap { Double($0) }
            guard bounds.count == 2, bounds[0] > 0, bounds[0] <= bounds[1] else {
                throw ValidationError("--kill-gap takes MIN-MAX in seconds, e.g. 0.3-0.9.")
            }
            guard seconds > 0 && seconds <= 86_400 else { throw ValidationError("--seconds must be between 0 and 86400.") }
            var options = ChaosOptions(cks: location.url)
            options.duration = .milliseconds(Int(seconds * 1000))
            options.seed = seed
            options.home = home.map { URL(fileURLWithPath: $0) }
            options.cliWorkers = cliWorkers
            options.kmsClients = kmsClients
            options.kmsPause = kmsPause
            options.console = !noConsole
            options.killGap = bounds[0]...bounds[1]
            let outcome: ChaosRun.Outcome
            do {
                outcome = try ChaosRun(options: options).run()
            } catch {
                FileHandle.standardError.write(Data("cks-chaos: the harness failed: \(error)\n".utf8))
                throw ExitCode(2)
            }
            print(outcome.summary + " (seed \(seed))")
            guard outcome.problems.isEmpty else {
                for problem in outcome.problems.prefix(10) { print("  problem: \(problem)") }
                throw ExitCode(1)
            }
        }
    }
}
