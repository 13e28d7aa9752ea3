import CKSTestSupport
import Foundation
@testable import Console
import KeyStoreEngine
import Testing

/// The console over a backend whose credentials refresh on their own (the AWS backend with an assumed role): the
/// header tells a failing refresh and its recovery, and an MFA code is asked in the console's own prompt, through
/// the effect host the runtime uses.
@Suite("Credentials in the console: status in the header, codes in a prompt")
@MainActor
struct CredentialSessionTests {
    @Test func theHeaderTellsAFailingRefreshAndItsRecovery() async {
        let session = FakeSessionService()
        let console = HeadlessConsole(service: session)
        await console.host.watchCredentials()
        console.start()
        #expect(await console.waitUntil { $0.stores.count == 6 })
        #expect(!console.frame.line(0).contains("credentials"))

        let until = Fixtures.now.addingTimeInterval(300)
        await session.publish(.refreshFailing(reason: "AccessDenied: refused", until: until))
        #expect(await console.waitUntil { $0.credentialStatus == .refreshFailing(reason: "AccessDenied: refused", until: until) })
        #expect(console.frame.line(0).contains("credentials not refreshing, valid until \(Formatting.time(until, Fixtures.utc)): see log"),
                "\(console.frame.line(0))")

        await session.publish(.failed(reason: "expired"))
        #expect(await console.waitUntil { $0.credentialStatus == .failed(reason: "expired") })
        #expect(console.frame.line(0).contains("credentials failed: see log"), "\(console.frame.line(0))")
        let narrow = render(console.state, size: Size(width: 80, height: 30)).line(0)
        #expect(narrow.contains("credentials failed") && narrow.hasSuffix("111122223333"), "shorter, the account whole: \(narrow)")

        await session.publish(.valid(accountId: "111122223333"))
        #expect(await console.waitUntil { $0.credentialStatus == .valid(accountId: "111122223333") })
        #expect(!console.frame.line(0).contains("credentials"), "recovered: \(console.frame.line(0))")
        console.host.end()
    }

    @Test func anAssumedRolesAccountFillsAnEmptyHeader() async {
        let session = FakeSessionService(backend: BackendDescription(name: "aws", region: "us-east-1", accountId: ""))
        let console = HeadlessConsole(service: session)
        await console.host.watchCredentials()
        console.start()
        await session.publish(.valid(accountId: "222233334444"))
        #expect(await console.waitUntil { $0.backend.accountId == "222233334444" })
        #expect(console.frame.line(0).hasSuffix("222233334444"))
        console.host.end()
    }

    @Test func theCodeIsAskedInThePromptAndSentBack() async throws {
        let session = FakeSessionService()
        let console = HeadlessConsole(service: session)
        await console.host.watchCredentials()
        console.start()
        #expect(await console.waitUntil { $0.stores.count == 6 })
        console.press(.character("a"))
        #expect(console.state.modal != nil, "the actions menu is open")

        let answer = Task { await session.ask(CodeRequest(serial: "arn:aws:iam::111122223333:mfa/me", profile: "admin")) }
        #expect(await console.waitUntil { !$0.codeRequests.isEmpty })
        let screen = console.frame.text
        #expect(screen.contains("MFA code") && screen.contains("Enter MFA code for arn:aws:iam::111122223333:mfa/me:"), "\(screen)")
        #expect(screen.contains("Profile admin assumes a role"))

        console.press(.character("x"))
        #expect(console.state.codeRequests.first?.typed == "", "only digits")
        console.press(.character("1"), .character("2"), .character("3"), .character("4"), .character("5"))
        console.press(.enter)
        #expect(console.state.codeRequests.count == 1, "five digits are not a code")
        #expect(console.state.status?.kind == .error)
        console.press(.backspace, .character("5"), .character("6"), .character("7"))
        #expect(console.state.codeRequests.first?.typed == "123456", "no seventh digit")
        #expect(console.frame.text.contains("123456"), "the digits are shown as typed")
        console.press(.enter)
        #expect(await answer.value == "123456")
        #expect(console.state.codeRequests.isEmpty)
        #expect(console.state.modal != nil, "the dialog under the prompt is still there")
        console.host.end()
    }

    @Test func escGivesNoCodeAndEndingAnswersWhatIsLeft() async {
        let session = FakeSessionService()
        let console = HeadlessConsole(service: session)
        await console.host.watchCredentials()
        console.start()
        let declined = Task { await session.ask(CodeRequest(serial: "GAHT12345678")) }
        #expect(await console.waitUntil { !$0.codeRequests.isEmpty })
        console.press(.escape)
        #expect(await declined.value == nil)
        #expect(console.state.status?.text.contains("No MFA code given") == true)

        let left = Task { await session.ask(CodeRequest(serial: "GAHT12345678")) }
        #expect(await console.waitUntil { !$0.codeRequests.isEmpty })
        console.host.end()
        #expect(await left.value == nil, "the console ended: no code")
        #expect(await session.ask(CodeRequest(serial: "GAHT12345678")) == nil, "nothing asks once the console has ended")
    }
}

/// The fake service with credentials of its own: a test publishes their status and asks for codes as the AWS
/// backend would.
actor FakeSessionService: SessionCredentials {
    nonisolated let backend: BackendDescription
    private let stores = FakeKeyStoreService()
    private var asker: (@Sendable (CodeRequest) async -> String?)?
    private var watchers: [UUID: AsyncStream<CredentialStatus>.Continuation] = [:]
    private var last: CredentialStatus?

    init(backend: BackendDescription = BackendDescription(name: "aws", region: "us-east-1", accountId: "111122223333")) {
        self.backend = backend
    }

    func publish(_ status: CredentialStatus) {
        last = status
        for watcher in watchers.values { watcher.yield(status) }
    }

    /// What the backend does when a role needs a code: asks whoever the console installed.
    func ask(_ request: CodeRequest) async -> String? {
        await asker?(request)
    }

    nonisolated func credentialStatus() -> AsyncStream<CredentialStatus> {
        let (stream, continuation) = AsyncStream<CredentialStatus>.makeStream()
        let id = UUID()
        Task { await self.watch(id, continuation) }
        return stream
    }

    private func watch(_ id: UUID, _ continuation: AsyncStream<CredentialStatus>.Continuation) {
        if let last { continuation.yield(last) }
        watchers[id] = continuation
    }

    func askForCodes(with ask: @escaping @Sendable (CodeRequest) async -> String?) async {
        asker = ask
    }

    func describeKeyStores(_ request: DescribeKeyStoresRequest) async throws(KMSError) -> KeyStorePage { try await stores.describeKeyStores(request) }
    func connectKeyStore(id: String) async throws(KMSError) { try await stores.connectKeyStore(id: id) }
    func disconnectKeyStore(id: String) async throws(KMSError) { try await stores.disconnectKeyStore(id: id) }
    func createKeyStore(_ request: CreateKeyStoreRequest) async throws(KMSError) -> String { try await stores.createKeyStore(request) }
    func updateKeyStore(_ request: UpdateKeyStoreRequest) async throws(KMSError) { try await stores.updateKeyStore(request) }
    func deleteKeyStore(id: String) async throws(KMSError) { try await stores.deleteKeyStore(id: id) }
    func keys(inKeyStore id: String) async throws(KMSError) -> [KMSKey] { try await stores.keys(inKeyStore: id) }
    func clusters() async throws(KMSError) -> [CloudHSMCluster] { try await stores.clusters() }
    func latestEventSequence() async throws(KMSError) -> Int64 { try await stores.latestEventSequence() }
    nonisolated func events(after sequence: Int64) -> AsyncStream<KeyStoreEvent> { stores.events(after: sequence) }
    func history(ofKeyStore id: String) async throws(KMSError) -> [KeyStoreEvent] { try await stores.history(ofKeyStore: id) }
}
