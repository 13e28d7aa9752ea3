import ArgumentParser
import Foundation
import KeyStoreEngine
import Simulator

/// Options every command that opens the world understands.
struct WorldOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "How fast simulated connects run: instant, demo (about 8 s a connect) or realistic (minutes). Also CKS_PACE.",
        valueName: "pace"))
    var pace: WorkflowPace?

    @Option(name: .long, help: ArgumentHelp("Where KMS is: simulator (the embedded world, default).", valueName: "backend"))
    var backend: Backend = .simulator

    enum Backend: String, ExpressibleByArgument, CaseIterable {
        case simulator
        case aws
    }

    var effectivePace: WorkflowPace {
        if let pace { return pace }
        if let name = ProcessInfo.processInfo.environment["CKS_PACE"], let pace = WorkflowPace(rawValue: name) { return pace }
        return .default
    }

    /// Opens the service the options name. `drive` keeps workflows moving while this process runs.
    func openService(drive: Bool) throws -> SimulatorService {
        guard backend == .simulator else {
            throw CLIError(message: "The AWS backend is not available in this build yet. Use the embedded simulator (the default).", exitCode: 2)
        }
        do {
            return try SimulatorService.open(pace: effectivePace, drive: drive)
        } catch {
            throw CLIError(message: error.description, exitCode: 2)
        }
    }
}

extension WorkflowPace: ExpressibleByArgument {}

/// How a command prints what it found.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table
    case json
}

/// A failure to report on standard error with a given exit status.
struct CLIError: Error, CustomStringConvertible {
    var message: String
    var exitCode: Int32
    var description: String { message }
}
