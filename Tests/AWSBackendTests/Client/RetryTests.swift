import AWSBackend
import Foundation
import KeyStoreEngine
import Synchronization
import Testing

@Suite("Retries with exponential backoff and full jitter")
struct RetryTests {
    func client(_ fake: FakeKMS, _ sleeper: RecordingSleeper, attempts: Int = 5, jitter: Double = 1) -> KMSClient {
        KMSClient(json: AWSJSONClient(
            service: .kms, endpoint: URL(string: "http://127.0.0.1:1")!, region: "us-east-1",
            credentials: CredentialsProvider(source: Fixture.credentials), transport: fake,
            retry: RetryPolicy(maxAttempts: attempts, baseDelay: .milliseconds(100), maxDelay: .seconds(1), jitter: { jitter }),
            clock: sleeper))
    }

    @Test func throttlingAndServerFaultsAreRetried() async throws {
        let fake = FakeKMS(stores: [Fixture.store(1)])
        fake.inject("DescribeCustomKeyStores",
                    FakeKMS.error("ThrottlingException", "Rate exceeded"),
                    FakeKMS.error("KMSInternalException", "oops", status: 500),
                    HTTPResponseData(status: 429, body: Array(#"{"__type":"TooManyRequestsException"}"#.utf8)),
                    HTTPResponseData(status: 503, body: Array("Service Unavailable".utf8)))
        let sleeper = RecordingSleeper()
        let page = try await client(fake, sleeper).describeCustomKeyStores(DescribeKeyStoresRequest())
        #expect(page.keyStores.count == 1)
        #expect(fake.count("DescribeCustomKeyStores") == 5)
        #expect(sleeper.sleeps == [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800)])
    }

    @Test func backoffIsCappedAndJittered() {
        let draws = Mutex([0.5, 0.25, 1.0, 0.0, 1.0])
        let policy = RetryPolicy(maxAttempts: 9, baseDelay: .milliseconds(100), maxDelay: .seconds(1), jitter: {
            draws.withLock { $0.removeFirst() }
        })
        #expect(policy.delay(beforeRetry: 1) == .milliseconds(50))
        #expect(policy.delay(beforeRetry: 2) == .milliseconds(50))
        #expect(policy.delay(beforeRetry: 3) == .milliseconds(400))
        #expect(policy.delay(beforeRetry: 4) == .zero)
        #expect(policy.delay(beforeRetry: 8) == .seconds(1), "capped")
        let random = RetryPolicy(baseDelay: .milliseconds(100), maxDelay: .seconds(1))
        for retry in 1...6 {
            let delay = random.delay(beforeRetry: retry)
            #expect(delay >= .zero && delay <= .seconds(1))
        }
    }

    @Test func attemptsAreBounded() async throws {
        let fake = FakeKMS()
        for _ in 0..<10 { fake.inject("ConnectCustomKeyStore", FakeKMS.error("ThrottlingException", "Rate exceeded")) }
        let sleeper = RecordingSleeper()
        do {
            try await client(fake, sleeper, attempts: 3).connectCustomKeyStore(id: "cks-1")
            Issue.record("should have given up")
        } catch {
            #expect(error.code == .throttling)
            #expect(error.message.contains("after 3 attempts"))
        }
        #expect(fake.count("ConnectCustomKeyStore") == 3)
        #expect(sleeper.sleeps.count == 2)
    }

    @Test func clientErrorsAreNotRetried() async throws {
        let fake = FakeKMS()
        fake.inject("ConnectCustomKeyStore", FakeKMS.error("CustomKeyStoreInvalidStateException", "FAILED: disconnect first"))
        fake.inject("CreateCustomKeyStore", FakeKMS.error("LimitExceededException", "10 stores"))
        let sleeper = RecordingSleeper()
        let kms = client(fake, sleeper)
        await #expect(throws: KMSError(.customKeyStoreInvalidState, "FAILED: disconnect first")) {
            try await kms.connectCustomKeyStore(id: "cks-1")
        }
        await #expect(throws: KMSError(.limitExceeded, "10 stores")) {
            _ = try await kms.createCustomKeyStore(CreateKeyStoreRequest(name: "n", cloudHsmClusterId: "c", trustAnchorCertificate: "t", keyStorePassword: "p"))
        }
        #expect(sleeper.sleeps.isEmpty)
    }

    @Test func networkFailuresAreRetriedThenReported() async throws {
        let sleeper = RecordingSleeper()
        let kms = KMSClient(json: AWSJSONClient(
            service: .kms, endpoint: URL(string: "http://127.0.0.1:1")!, region: "us-east-1",
            credentials: CredentialsProvider(source: Fixture.credentials), transport: AsyncHTTPTransport(),
            retry: RetryPolicy(maxAttempts: 2, jitter: { 0 }), clock: sleeper))
        do {
            _ = try await kms.describeCustomKeyStores(DescribeKeyStoresRequest())
            Issue.record("port 1 answered")
        } catch {
            #expect(error.code == .endpointUnavailable)
            #expect(error.message.contains("http://127.0.0.1:1"), "\(error.message)")
            #expect(error.message.contains("refused"), "\(error.message)")
        }
        #expect(sleeper.sleeps.count == 1)
    }
}
