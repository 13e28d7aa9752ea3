import AWSBackend
import Foundation
import KeyStoreEngine
import Testing

/// A local clock that is off: KMS refuses the signature as expired, the `Date` of its answer says by how much,
/// and the request is signed again with the corrected time, once, as the SDKs do.
@Suite("Clock-skew correction")
struct ClockSkewTests {
    static let localNow = Date(timeIntervalSince1970: 1_765_000_000)

    func client(_ fake: FakeKMS, skew: ClockSkew = ClockSkew()) -> KMSClient {
        KMSClient(json: AWSJSONClient(
            service: .kms, endpoint: URL(string: "http://127.0.0.1:1")!, region: "us-east-1",
            credentials: CredentialsProvider(source: Fixture.credentials), transport: fake,
            retry: RetryPolicy(maxAttempts: 1), clock: ManualClock(start: Self.localNow), skew: skew))
    }

    static func httpDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }

    static func expired(serverNow: Date?) -> HTTPResponseData {
        var response = FakeKMS.error("InvalidSignatureException",
                                     "Signature expired: 20251206T054640Z is now earlier than 20251206T060640Z (20251206T061140Z - 5 min.)")
        if let serverNow { response.headers.append((name: "Date", value: httpDate(serverNow))) }
        return response
    }

    func amzDate(_ request: FakeKMS.Request) -> String? {
        request.headers.first { $0.name.lowercased() == "x-amz-date" }?.value
    }

    @Test func correctsFromTheDateAndRetriesOnce() async throws {
        let fake = FakeKMS(stores: [Fixture.store(1)])
        let serverNow = Self.localNow.addingTimeInterval(1500)
        fake.inject("DescribeCustomKeyStores", Self.expired(serverNow: serverNow))
        let skew = ClockSkew()
        let page = try await client(fake, skew: skew).describeCustomKeyStores(DescribeKeyStoresRequest())
        #expect(page.keyStores.count == 1)
        #expect(fake.count("DescribeCustomKeyStores") == 2)
        #expect(amzDate(fake.requests[0]) == "20251206T054640Z")
        #expect(amzDate(fake.requests[1]) == "20251206T061140Z", "signed with the server's time")
        #expect(skew.seconds == 1500)

        _ = try await client(fake, skew: skew).describeCustomKeyStores(DescribeKeyStoresRequest())
        #expect(amzDate(fake.requests[2]) == "20251206T061140Z", "the correction stays for the session")
    }

    @Test func onlyOnceAndOnlyWithADate() async throws {
        let fake = FakeKMS(stores: [Fixture.store(1)])
        fake.inject("DescribeCustomKeyStores", Self.expired(serverNow: Self.localNow.addingTimeInterval(900)),
                    Self.expired(serverNow: Self.localNow.addingTimeInterval(1800)))
        let twice = await #expect(throws: KMSError.self) {
            try await client(fake).describeCustomKeyStores(DescribeKeyStoresRequest())
        }
        #expect(twice?.code.rawValue == "InvalidSignatureException")
        #expect(fake.count("DescribeCustomKeyStores") == 2, "one retry, not a loop")

        let undated = FakeKMS(stores: [Fixture.store(1)])
        undated.inject("DescribeCustomKeyStores", Self.expired(serverNow: nil))
        await #expect(throws: KMSError.self) { try await client(undated).describeCustomKeyStores(DescribeKeyStoresRequest()) }
        #expect(undated.count("DescribeCustomKeyStores") == 1)

        let other = FakeKMS(stores: [Fixture.store(1)])
        var denied = FakeKMS.error("AccessDeniedException", "not allowed")
        denied.headers.append((name: "Date", value: Self.httpDate(Self.localNow.addingTimeInterval(900))))
        other.inject("DescribeCustomKeyStores", denied)
        await #expect(throws: KMSError.self) { try await client(other).describeCustomKeyStores(DescribeKeyStoresRequest()) }
        #expect(other.count("DescribeCustomKeyStores") == 1, "another error is not a clock problem")
    }
}
