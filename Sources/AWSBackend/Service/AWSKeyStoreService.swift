import Foundation
import KeyStoreEngine
import Synchronization

/// Custom key stores on real KMS, or any KMS-compatible endpoint, behind the same `KeyStoreService` as the
/// simulator. Connect and disconnect return once KMS accepts them; events come from polling
/// DescribeCustomKeyStores (every 2 s while a store is CONNECTING or DISCONNECTING, else every 30 s, never two
/// polls at once, only while someone follows `events(after:)`), the difference between snapshots becoming
/// the events the simulator records.
public actor AWSKeyStoreService: KeyStoreService {
    public nonisolated var backend: BackendDescription { backendBox.withLock { $0 } }
    public nonisolated let settings: AWSSettings
    public nonisolated let cadence: PollCadence
    nonisolated let clock: any BackendClock
    nonisolated let credentials: CredentialsProvider
    nonisolated let transport: any HTTPTransport
    nonisolated let retry: RetryPolicy
    /// Regions named on the command line (`--region a,b`), and those switched from, offered with the others when switching.
    public nonisolated let namedRegions: [String]
    private nonisolated let backendBox: Mutex<BackendDescription>
    let kms: KMSClient
    let cloudHSM: CloudHSMClient

    // What has been observed.
    var known: [String: ObservedStore] = [:]
    /// Stores seen deleted, with the stamp of that observation (an older answer must not bring them back).
    var tombstones: [String: UInt64] = [:]
    var baselineEstablished = false
    var stampCounter: UInt64 = 0
    var keysByStore: [String: [String: KMSKey]] = [:]
    /// The store of every key described so far (nil inside: a key in no custom key store).
    var storeOfKey: [String: String?] = [:]
    var pending: [String: PendingWorkflow] = [:]
    var transitions: [String: TransitionProgress] = [:]
    var log = EventLog()

    // Polling.
    var pollLoop: Task<Void, Never>?
    var pollSleep: Task<Void, Never>?
    var pollRequested = false
    var isPolling = false
    var pollWaiters: [CheckedContinuation<Void, Never>] = []
    /// Polls made so far (DescribeCustomKeyStores rounds).
    public internal(set) var pollCount = 0
    /// Why the last poll failed, or nil when it succeeded.
    public internal(set) var lastPollError: KMSError?

    /// A service for the settings' Region. `credentials` may be shared between services of several Regions.
    public init(
        settings: AWSSettings, environment: AWSEnvironment = .current, transport: any HTTPTransport = AsyncHTTPTransport(),
        clock: any BackendClock = SystemBackendClock(), cadence: PollCadence = PollCadence(),
        retry: RetryPolicy? = nil, credentials: CredentialsProvider? = nil, namedRegions: [String] = []
    ) {
        let credentials = credentials ?? CredentialsProvider(source: settings.credentials, environment: environment)
        let retry = retry ?? RetryPolicy(maxAttempts: settings.maxAttempts)
        self.settings = settings
        self.cadence = cadence
        self.clock = clock
        self.credentials = credentials
        self.transport = transport
        self.retry = retry
        self.namedRegions = namedRegions
        self.backendBox = Mutex(BackendDescription(name: "aws", region: settings.region, accountId: "",
                                                   endpoint: settings.customEndpoint?.absoluteString))
        self.kms = KMSClient(json: AWSJSONClient(service: .kms, endpoint: settings.kmsEndpoint, region: settings.region,
                                                 credentials: credentials, transport: transport, retry: retry, clock: clock))
        self.cloudHSM = CloudHSMClient(json: AWSJSONClient(service: .cloudHSMV2, endpoint: settings.cloudHSMEndpoint,
                                                           region: settings.region, credentials: credentials,
                                                           transport: transport, retry: retry, clock: clock))
    }

    /// The same account in another Region (the console's `R`): same profile, credentials and endpoint rules.
    /// The Regions to offer go along, this one among them: a Region no list knows (one of its own behind
    /// `--endpoint-url`, or from `AWS_REGION` or the profile) stays on offer after switching away from it.
    public nonisolated func service(forRegion region: String) -> AWSKeyStoreService {
        var seen: Set<String> = []
        let offered = (namedRegions + [settings.region]).filter { seen.insert($0).inserted }
        return AWSKeyStoreService(settings: settings.with(region: region), transport: transport, clock: clock, cadence: cadence,
                                  retry: retry, credentials: credentials, namedRegions: offered)
    }

    /// Notes the account of an ARN (`arn:aws:kms:<region>:<account>:key/…`) for `backend.accountId`.
    func learnAccount(fromArn arn: String) {
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 6, parts[0] == "arn", !parts[4].isEmpty else { return }
        backendBox.withLock { if $0.accountId.isEmpty { $0.accountId = String(parts[4]) } }
    }

    func nextStamp() -> UInt64 {
        stampCounter += 1
        return stampCounter
    }
}

/// How often the service polls DescribeCustomKeyStores.
public struct PollCadence: Sendable, Hashable {
    /// While a store is CONNECTING or DISCONNECTING, or a connect or disconnect was just accepted.
    public var busy: Duration
    /// Otherwise.
    public var idle: Duration
    /// How long an accepted connect or disconnect keeps the busy pace before KMS shows it.
    public var acceptedWindow: Duration

    public init(busy: Duration = .seconds(2), idle: Duration = .seconds(30), acceptedWindow: Duration = .seconds(60)) {
        self.busy = busy
        self.idle = idle
        self.acceptedWindow = acceptedWindow
    }
}

/// A store as last seen, and the stamp of the request that saw it (later requests have larger stamps).
struct ObservedStore {
    var store: CustomKeyStore
    var stamp: UInt64
}

/// A connect or disconnect this session sent and KMS accepted, until a poll shows the store moving.
struct PendingWorkflow {
    var kind: WorkflowKind
    var acceptedAt: Date
    var stateAtAccept: ConnectionState?
}

extension AWSKeyStoreService: RegionalKeyStoreService {
    /// The Regions where custom key stores exist (`--region all`), those named with `--region`, and the current
    /// one (which may be neither, e.g. a Region of its own behind `--endpoint-url`), in alphabetical order.
    public nonisolated var regionChoices: [String] {
        Set(KeyStoreRegions.all + namedRegions + [settings.region]).sorted()
    }

    public nonisolated func switchingRegion(to region: String) -> any RegionalKeyStoreService {
        service(forRegion: region)
    }
}

extension AWSKeyStoreService: ConnectPreflightService {}
