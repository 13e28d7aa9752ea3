import AWSBackend
import ArgumentParser
import Foundation
import KeyStoreEngine
import Simulator

/// Options every command that opens the world understands: which backend, and for AWS the Region(s),
/// profile and endpoint (the aws CLI's own options and `AWS_*` variables).
struct WorldOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "How fast simulated connects run: instant, demo (about 8 s a connect) or realistic (minutes). Also CKS_PACE.",
        valueName: "pace"))
    var pace: WorkflowPace?

    @Option(name: .long, help: ArgumentHelp(
        "Where KMS is: simulator (the embedded world, default) or aws (real KMS, or any KMS endpoint with --endpoint-url).",
        valueName: "backend"))
    var backend: Backend = .simulator

    @Option(name: .long, help: ArgumentHelp(
        "With --backend aws: the Region (else AWS_REGION, AWS_DEFAULT_REGION, the profile's region). `cks list` also takes a comma-separated list, or `all`.",
        valueName: "region"))
    var region: String?

    @Option(name: .long, help: ArgumentHelp("With --backend aws: a profile of ~/.aws/config and ~/.aws/credentials (else AWS_PROFILE).",
                                            valueName: "profile"))
    var profile: String?

    @Option(name: .long, help: ArgumentHelp(
        "With --backend aws: send KMS (and CloudHSMv2) requests to this URL, e.g. a `cks serve` (else AWS_ENDPOINT_URL_KMS, AWS_ENDPOINT_URL).",
        valueName: "url"))
    var endpointUrl: String?

    @Flag(name: .long, help: "Change nothing: the console offers no action that changes a store, and commands that would change one refuse.")
    var readOnly = false

    enum Backend: String, ExpressibleByArgument, CaseIterable {
        case simulator
        case aws
    }

    var effectivePace: WorkflowPace {
        if let pace { return pace }
        if let name = ProcessInfo.processInfo.environment["CKS_PACE"], let pace = WorkflowPace(rawValue: name) { return pace }
        return .default
    }

    func validate() throws {
        if pace == nil, let name = ProcessInfo.processInfo.environment["CKS_PACE"], !name.isEmpty, WorkflowPace(rawValue: name) == nil {
            throw ValidationError("CKS_PACE=\(name) is not a pace: use instant, demo or realistic.")
        }
        guard backend == .simulator else { return }
        let awsOnly = [("--region", region), ("--profile", profile), ("--endpoint-url", endpointUrl)].filter { $0.1 != nil }.map(\.0)
        if !awsOnly.isEmpty {
            let verb = awsOnly.count == 1 ? "applies" : "apply"
            throw ValidationError("\(awsOnly.joined(separator: ", ")) only \(verb) to --backend aws (the simulator has its own account and Region).")
        }
    }

    /// Refuses the change a command is about to make when `--read-only` is given; `change` names it
    /// ("connect key stores"). Every command that changes a store or the world calls it before anything else.
    func refuseIfReadOnly(_ change: String) throws {
        guard readOnly else { return }
        throw CLIError(message: "--read-only is on, so cks does not \(change). Run the command again without --read-only to make the change.",
                       exitCode: ExitStatus.usage)
    }

    /// Opens the service the options name, then finds the store `idOrName` names in it (`cks list` shows both).
    func openStore(_ idOrName: String, drive: Bool) async throws -> (service: any KeyStoreService, store: CustomKeyStore) {
        let service = try openService(drive: drive)
        return (service, try await service.keyStore(idOrName: idOrName))
    }

    /// Opens the service the options name, as the backend of KMS keys (both backends are).
    func openKeyService() throws -> any KeyStoreService & KMSKeyService {
        let service = try openService(drive: false)
        guard let keys = service as? any KeyStoreService & KMSKeyService else {
            throw CLIError(message: "The \(service.backend.name) backend cannot manage KMS keys.", exitCode: ExitStatus.usage)
        }
        return keys
    }

    /// Opens the service the options name. `drive` keeps simulated workflows moving while this process runs.
    func openService(drive: Bool) throws -> any KeyStoreService {
        switch backend {
        case .simulator:
            return try openSimulator(drive: drive)
        case .aws:
            let services = try openAWSServices()
            guard services.count == 1 else {
                throw CLIError(message: "This command works in one Region at a time; --region names \(services.count). Only `cks list` takes several.",
                               exitCode: ExitStatus.usage)
            }
            return services[0]
        }
    }

    /// The console's service: one Region at a time; with `--region a,b` the first, `R` switching to the others.
    func openConsoleService() throws -> any KeyStoreService {
        guard backend == .aws else { return try openSimulator(drive: true, healthProbes: true) }
        if allRegions {
            throw CLIError(message: "The console shows one Region at a time: give --region REGION (or a list, opening the first), "
                           + "then press R in the console to switch.", exitCode: ExitStatus.usage)
        }
        return try openFirstAWSService().service
    }

    /// The embedded simulator, for commands that exist only there (`cks sim …`).
    /// `healthProbes`: the console's, which shows their answers (`SimulatorService.open`).
    func openSimulator(drive: Bool, healthProbes: Bool = false, command: String = "This command") throws -> SimulatorService {
        guard backend == .simulator else {
            throw CLIError(message: "\(command) works only on the embedded simulator; it has no KMS equivalent for --backend aws. "
                           + "For real clusters use `aws cloudhsmv2 describe-clusters` and the CloudHSM CLI.",
                           exitCode: ExitStatus.usage)
        }
        do {
            return try SimulatorService.open(pace: effectivePace, drive: drive, healthProbes: healthProbes)
        } catch {
            throw CLIError(message: error.description, exitCode: ExitStatus.usage)
        }
    }

    /// One AWS service per Region of `--region` (or the one Region the environment and profile give).
    func openAWSServices(environment: AWSEnvironment = .current) throws -> [AWSKeyStoreService] {
        let (first, regions) = try openFirstAWSService(environment: environment)
        return [first] + regions.dropFirst().map { first.service(forRegion: $0) }
    }

    /// The service of the first Region of `--region` (or of the one the environment and profile give), and the
    /// Regions `--region` names (every one checked); the others' services are not built.
    func openFirstAWSService(environment: AWSEnvironment = .current) throws -> (service: AWSKeyStoreService, regions: [String]) {
        var regions: [String] = []
        if let region {
            guard let parsed = KeyStoreRegions.parse(region) else {
                throw CLIError(message: "--region needs a Region, a comma-separated list of Regions, or `all`.", exitCode: ExitStatus.usage)
            }
            regions = parsed
        }
        let settings: AWSSettings
        do {
            settings = try AWSSettings.resolve(AWSOverrides(profile: profile, region: regions.first, endpointURL: endpointUrl),
                                               environment: environment)
            for name in [settings.region] + regions { try AWSSettings.checkRegion(name) }
        } catch {
            throw CLIError(message: error.message, exitCode: ExitStatus.usage)
        }
        return (AWSKeyStoreService(settings: settings, environment: environment, namedRegions: regions), regions)
    }

    /// True when `--region all` was given.
    var allRegions: Bool { region?.trimmingCharacters(in: .whitespaces).lowercased() == "all" }
}

extension WorkflowPace: ExpressibleByArgument {}

/// How a command prints what it found.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table
    case json
}
