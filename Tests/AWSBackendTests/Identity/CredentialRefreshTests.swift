import AWSBackend
import CKSTestSupport
import Foundation
import KeyStoreEngine
import Testing

/// Temporary credentials are cached, fetched again within ten minutes of their expiry (an injected clock), and
/// a failing refresh keeps the old ones while they last, then fails loudly: in the service's log, never silently.
@Suite("Temporary credentials: cached, refreshed, failures told", .serialized)
struct CredentialRefreshTests {
    func assumedRole(_ server: IdentityServer) -> CredentialSource {
        .assumeRole(AssumeRoleSettings(
            profile: "admin", roleArn: "arn:aws:iam::222233334444:role/admin",
            source: .fixed(.init(accessKeyId: "AKIABASE", secretAccessKey: "s"), origin: "test"),
            sts: STSEndpoint(url: URL(string: server.url)!, region: "us-east-1")))
    }

    @Test func assumedRoleIsCachedThenRefreshedBeforeItExpires() async throws {
        let server = try await IdentityServer.start(lifetime: 3600)
        let clock = ManualClock(start: Date())
        let provider = CredentialsProvider(source: assumedRole(server), now: { clock.now() })
        let first = try await provider.current()
        _ = try await provider.current()
        #expect(try await server.counts()["AssumeRole"] == 1, "cached")
        #expect(first.credentials.accessKeyId.hasPrefix("ASIA"))
        #expect(first.accountId == "222233334444")

        let expiration = try #require(first.expiration)
        clock.advance(by: .milliseconds(Int64((expiration.timeIntervalSince(clock.now()) - 601) * 1000)))
        _ = try await provider.current()
        #expect(try await server.counts()["AssumeRole"] == 1, "more than ten minutes left: still cached")
        clock.advance(by: .seconds(2))
        _ = try await provider.current()
        #expect(try await server.counts()["AssumeRole"] == 2, "within ten minutes of the expiry: refreshed")
        #expect(await provider.processRuns == 2)
    }

    @Test func aFailedRefreshKeepsWorkingKeysThenFails() async throws {
        let server = try await IdentityServer.start(lifetime: 3600)
        let clock = ManualClock(start: Date())
        let provider = CredentialsProvider(source: assumedRole(server), now: { clock.now() })
        let first = try await provider.current()
        try await server.fail("AssumeRole")
        clock.advance(by: .seconds(3300))
        let kept = try await provider.current()
        #expect(kept == first, "five minutes left: the old keys still sign")
        let failure = try #require(await provider.lastRefreshFailure)
        #expect(failure.message.contains("refused by the test") && failure.message.contains("arn:aws:iam::222233334444:role/admin"))

        clock.advance(by: .seconds(600))
        await #expect(throws: AWSConfigurationError.self) { try await provider.current() }
        try await server.heal()
        _ = try await provider.current()
        #expect(await provider.lastRefreshFailure == nil)
    }

    /// The service the console runs on: an assumed role's keys expire while it polls (the clock is the
    /// test's), the role is assumed again and the stores keep coming; a refresh that cannot happen is told in
    /// the log, and so is the recovery.
    @Test func pollingGoesOnAcrossRefreshesAndToldFailures() async throws {
        let server = try await IdentityServer.start(lifetime: 3600)
        let clock = ManualClock(start: Date())
        let fake = FakeKMS(stores: [Fixture.store(1), Fixture.store(2)])
        let provider = CredentialsProvider(source: assumedRole(server), now: { clock.now() })
        let service = AWSKeyStoreService(settings: AWSSettings(profile: "admin", region: "us-east-1", credentials: assumedRole(server)),
                                         environment: AWSEnvironment(variables: [:], homeDirectory: "/nonexistent"),
                                         transport: fake, clock: clock, retry: RetryPolicy(maxAttempts: 1), credentials: provider)
        let events = PollingTests.Collector(service)
        defer { events.stop() }
        try await eventually("the first poll") { clock.requestedSleeps.count == 1 }
        #expect(try await server.counts()["AssumeRole"] == 1)
        let signedFirst = fake.requests.last?.headers.first { $0.name == "Authorization" }?.value ?? ""
        #expect(signedFirst.contains("Credential=ASIA"), "KMS is called with the role's keys")

        for hour in 1...3 {
            try await server.advance(by: 3600)
            clock.advance(by: .seconds(3600))
            try await eventually("the poll after hour \(hour), and the sleep after it") { clock.requestedSleeps.count == 1 + hour }
        }
        #expect(fake.count("DescribeCustomKeyStores") == 4)
        #expect(try await server.counts()["AssumeRole"] == 4, "assumed again as each hour's keys expired")
        #expect(await service.lastPollError == nil)
        let page = try await service.describeKeyStores(DescribeKeyStoresRequest())
        #expect(page.keyStores.count == 2, "still listing stores")

        try await server.fail("AssumeRole")
        let pollsBefore = fake.count("DescribeCustomKeyStores")
        // Past the hour by five minutes: the keys in hand have expired even if the test ran slowly in real time.
        try await server.advance(by: 3900)
        clock.advance(by: .seconds(3900))
        try await eventually("the failing refresh told in the log") {
            await events.kinds().contains { if case let .worldChanged(text) = $0 { text.contains("could not be refreshed") } else { false } }
        }
        #expect(fake.count("DescribeCustomKeyStores") == pollsBefore, "no unsigned or expired request went out")
        #expect(await service.lastPollError?.code == .credentialsUnavailable)

        try await eventually("the sleep after the failed poll") { clock.requestedSleeps.count == 5 }
        try await server.heal()
        try await server.advance(by: 30)
        clock.advance(by: .seconds(30))
        try await eventually("the recovery told in the log") {
            await events.kinds().contains { if case let .worldChanged(text) = $0 { text.hasPrefix("Credentials refreshed") } else { false } }
        }
        #expect(await service.lastPollError == nil)
    }

    /// What the console's header follows: the service's credential status, told when a poll's fetch changes it
    /// (nothing polls the status itself): valid with the role's account, then a refresh failing while the keys in
    /// hand last, then failed once they have expired, then valid again after a refresh succeeds.
    @Test func theStatusFollowsAFailingRefreshAndItsRecovery() async throws {
        let server = try await IdentityServer.start(lifetime: 3600)
        let clock = ManualClock(start: Date())
        let fake = FakeKMS(stores: [Fixture.store(1)])
        let provider = CredentialsProvider(source: assumedRole(server), now: { clock.now() })
        let service = AWSKeyStoreService(settings: AWSSettings(profile: "admin", region: "us-east-1", credentials: assumedRole(server)),
                                         environment: AWSEnvironment(variables: [:], homeDirectory: "/nonexistent"),
                                         transport: fake, clock: clock, retry: RetryPolicy(maxAttempts: 1), credentials: provider)
        let statuses = StatusBox()
        let watching = Task { for await status in service.credentialStatus() { await statuses.append(status) } }
        defer { watching.cancel() }
        let events = PollingTests.Collector(service)
        defer { events.stop() }
        try await eventually("the first poll") { clock.requestedSleeps.count == 1 }
        try await eventually("valid, with the role's account") { await statuses.all == [.valid(accountId: "222233334444")] }
        let expiration = try #require(try await provider.current().expiration)

        try await server.fail("AssumeRole")
        try await server.advance(by: 3300)
        clock.advance(by: .seconds(3300))
        try await eventually("a refresh failing while the keys last") { await statuses.all.count == 2 }
        guard case let .refreshFailing(reason, until) = await statuses.all.last else {
            Issue.record("not a failing refresh: \(await statuses.all)")
            return
        }
        #expect(until == expiration && reason.contains("refused by the test"))

        try await eventually("the sleep after that poll") { clock.requestedSleeps.count == 2 }
        try await server.advance(by: 600)
        clock.advance(by: .seconds(600))
        try await eventually("failed once they have expired") { await statuses.all.count == 3 }
        guard case .failed = await statuses.all.last else {
            Issue.record("not failed: \(await statuses.all)")
            return
        }

        try await eventually("the sleep after the failed poll") { clock.requestedSleeps.count == 3 }
        try await server.heal()
        try await server.advance(by: 30)
        clock.advance(by: .seconds(30))
        try await eventually("valid again") { await statuses.all.count == 4 }
        #expect(await statuses.all.last == .valid(accountId: "222233334444"))
        #expect(await statuses.all.count == 4, "each change told once")
    }

    actor StatusBox {
        var all: [CredentialStatus] = []
        func append(_ status: CredentialStatus) { all.append(status) }
    }
}
