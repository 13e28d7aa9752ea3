import ArgumentParser
import ChaosHarness
import Foundation

extension CKSChaos {
    struct Abuse: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "cks serve under abuse: hostile requests, slow clients and a connection flood while good clients are measured.",
            discussion: "Prints one summary line (with the good clients' success rate and p99 and the server's memory); exits 1 when a problem was found."
        )

        @Option(help: "Malformed or hostile requests to send.")
        var requests = 10_000

        @Option(help: "Threads sending the hostile requests.")
        var hostileThreads = 4

        @Option(help: "Clients sending a valid request one byte a second.")
        var slowClients = 20

        @Option(help: "Connections opened at once against the server (more than --server-file-limit).")
        var flood = 400

        @Option(help: "How long the flood holds its connections, in seconds.")
        var floodSeconds: Double = 5

        @Option(help: "ulimit -n of the server.")
        var serverFileLimit = 256

        @Option(help: "Well-behaved client threads, measured throughout.")
        var goodClients = 2

        @Option(help: "A pause after each good client's call, in seconds.")
        var goodClientPause: Double = 0

        @Option(help: "The seed of every random choice.")
        var seed: UInt64 = 1

        @OptionGroup var location: CKSLocation

        func run() throws {
            var options = AbuseOptions(cks: location.url)
            options.requests = requests
            options.hostileThreads = hostileThreads
            options.floodSeconds = floodSeconds
            options.goodClientPause = goodClientPause
            options.slowClients = slowClients
            options.floodConnections = flood
            options.serverFileLimit = serverFileLimit
            options.goodClients = goodClients
            options.seed = seed
            let outcome: AbuseRun.Outcome
            do {
                outcome = try AbuseRun(options: options).run()
            } catch {
                FileHandle.standardError.write(Data("cks-chaos abuse: the harness failed: \(error)\n".utf8))
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

extension CKSChaos {
    struct Console: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The console under abuse in tmux: random keys and random resizes down to 1x1, then quit; the terminal must be as it was."
        )

        @Option(help: "How long to press keys, in seconds.")
        var seconds: Double = 60

        @Option(help: "Resizes of the window, spread over the time.")
        var resizes = 100

        @Option(help: "The seed of every random choice.")
        var seed: UInt64 = 1

        @OptionGroup var location: CKSLocation

        func run() throws {
            var abuse = ConsoleAbuse(cks: location.url)
            abuse.seconds = seconds
            abuse.resizes = resizes
            abuse.seed = seed
            let outcome: ConsoleAbuse.Outcome
            do {
                outcome = try abuse.run()
            } catch {
                FileHandle.standardError.write(Data("cks-chaos console: the harness failed: \(error)\n".utf8))
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
