@testable import AWSBackend
import Foundation
import KeyStoreEngine
import SigV4
import Testing

@Suite("JSON 1.1 requests, signed")
struct WireFormatTests {
    @Test func kmsAndCloudHSMRequests() async throws {
        let store = Fixture.store(1)
        let fake = FakeKMS(stores: [store], clusters: [Fixture.cluster(store.cloudHsmClusterId!, hsmZones: ["us-east-1a"])])
        let settings = AWSSettings(profile: "default", region: "eu-west-1", customEndpoint: URL(string: "http://127.0.0.1:4566")!,
                                   credentials: .fixed(AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret", sessionToken: "tok"),
                                                       origin: "test"))
        let service = AWSKeyStoreService(settings: settings, environment: AWSEnvironment(variables: [:], homeDirectory: "/nonexistent"),
                                         transport: fake, clock: SystemBackendClock(), retry: RetryPolicy(maxAttempts: 1))
        _ = try await service.describeKeyStores(DescribeKeyStoresRequest(customKeyStoreName: store.name, limit: 5))
        let clusters = try await service.clusters()
        #expect(clusters.map(\.id) == [store.cloudHsmClusterId!])
        #expect(clusters.first?.activeHSMs.map(\.availabilityZone) == ["us-east-1a"])
        #expect(clusters.first?.trustAnchorCertificate == nil)

        let requests = fake.requests
        #expect(requests.map(\.target) == ["TrentService.DescribeCustomKeyStores", "BaldrApiService.DescribeClusters"])
        #expect(requests[0].body == .object([("CustomKeyStoreName", .string(store.name)), ("Limit", .integer(5))]))
        for (request, service) in zip(requests, ["kms", "cloudhsm"]) {
            func header(_ name: String) -> String? { request.headers.first { $0.name.lowercased() == name }?.value }
            #expect(header("content-type") == "application/x-amz-json-1.1")
            #expect(header("host") == "127.0.0.1:4566")
            #expect(header("x-amz-security-token") == "tok")
            #expect(header("authorization")?.contains("/eu-west-1/\(service)/aws4_request") == true)
            let verifier = SigV4Verifier(services: [service], allowedClockSkew: .seconds(600)) { id in
                id == "AKIDEXAMPLE" ? AWSCredentials(accessKeyId: id, secretAccessKey: "secret", sessionToken: "tok") : nil
            }
            let signed = SigV4Request(method: "POST", path: "/", headers: request.headers, body: Array(request.body.compact.utf8))
            let identity = try verifier.verify(signed, now: Date())
            #expect(identity.service == service && identity.region == "eu-west-1")
        }
    }

    @Test func hostHeaders() {
        #expect(AWSJSONClient.hostHeader(URL(string: "https://kms.us-east-1.amazonaws.com")!) == "kms.us-east-1.amazonaws.com")
        #expect(AWSJSONClient.hostHeader(URL(string: "https://kms.example:443")!) == "kms.example")
        #expect(AWSJSONClient.hostHeader(URL(string: "http://localhost:80/")!) == "localhost")
        #expect(AWSJSONClient.hostHeader(URL(string: "http://localhost:8080")!) == "localhost:8080")
    }

    @Test func pagesAreFollowed() async throws {
        let fake = FakeKMS(stores: (1...2500).map { Fixture.store($0) })
        let service = Fixture.service(fake)
        let all = try await service.allKeyStores()
        #expect(all.count == 2500)
        #expect(fake.count("DescribeCustomKeyStores") == 3)
        #expect(fake.requests.last?.body["Marker"]?.stringValue == "2000")
    }
}
