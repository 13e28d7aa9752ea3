import Foundation
import Testing
import XKS
import XKSProxy

/// Faults change what the engine answers, the way a broken deployment answers.
@Suite struct FaultTests {
    private let path = ProxyFixture.uriPath

    private func answer(_ engine: XKSProxyEngine, _ fixture: ProxyFixture, _ route: String, _ body: [String: Any],
                        credential: ProxyCredential? = nil) -> ProxyOutcome {
        let signed = KMSStyleSigner(credential: credential ?? fixture.credential).sign(path: route, host: "xks.example.com", body: XKSBodies.data(body))
        return engine.handle(ProxyRequest(method: "POST", uri: route, headers: signed.headers, body: signed.body), now: Date())
    }

    private func engine(_ fixture: ProxyFixture, _ change: (inout ProxyFaults) -> Void) throws -> XKSProxyEngine {
        _ = try fixture.database.updateFaults { change(&$0) }
        return try fixture.engine
    }

    private func json(_ outcome: ProxyOutcome) -> [String: Any] {
        ((try? JSONSerialization.jsonObject(with: Data(outcome.response.body))) as? [String: Any]) ?? [:]
    }

    @Test func keyManagerHealthShowsAndAllUnavailableStopsKeyOperations() throws {
        let fixture = try ProxyFixture()
        defer { fixture.remove() }
        let degraded = try engine(fixture) { $0.keyManager = [2: .degraded] }
        let health = try JSONDecoder().decode(XKSHealthResponse.self, from: Data(answer(degraded, fixture, "\(path)/health", XKSBodies.health()).response.body))
        #expect(health.ekmFleetDetails.map(\.healthStatus) == [.active, .degraded])
        #expect(answer(degraded, fixture, "\(path)/keys/foo/encrypt", XKSBodies.encrypt([1])).response.status == 200)

        let down = try engine(fixture) { $0.keyManager = [0: .unavailable] }
        let downHealth = answer(down, fixture, "\(path)/health", XKSBodies.health())
        #expect(downHealth.response.status == 200)
        #expect((json(downHealth)["ekmFleetDetails"] as? [[String: Any]])?.map { $0["healthStatus"] as? String } == ["UNAVAILABLE", "UNAVAILABLE"])
        let encrypt = answer(down, fixture, "\(path)/keys/foo/encrypt", XKSBodies.encrypt([1]))
        #expect(encrypt.response.status == 500)
        #expect(json(encrypt)["errorName"] as? String == "InternalException")
    }

    @Test func errorStatusesLatencyAndRefusedCredentials() throws {
        let fixture = try ProxyFixture()
        defer { fixture.remove() }
        for (status, name) in ProxyFaults.errorStatuses {
            let engine = try engine(fixture) { $0.errorStatus = status }
            let outcome = answer(engine, fixture, "\(path)/health", XKSBodies.health())
            #expect(outcome.response.status == status)
            #expect(json(outcome)["errorName"] as? String == name.rawValue)
        }
        let slow = try engine(fixture) { $0 = ProxyFaults(); $0.latencyMilliseconds = 300 }
        #expect(answer(slow, fixture, "\(path)/health", XKSBodies.health()).delay == .milliseconds(300))
        let refusing = try engine(fixture) { $0 = ProxyFaults(); $0.refusedAccessKeyIds = [fixture.credential.accessKeyId] }
        let refused = answer(refusing, fixture, "\(path)/health", XKSBodies.health())
        #expect(refused.response.status == 401)
        #expect(json(refused)["errorName"] as? String == "AuthenticationFailedException")
    }

    @Test func garbageAnswers() throws {
        let fixture = try ProxyFixture()
        defer { fixture.remove() }
        let html = try engine(fixture) { $0.garbage = .nonJSON }
        let page = answer(html, fixture, "\(path)/health", XKSBodies.health())
        #expect(page.response.status == 200)
        #expect((try? JSONSerialization.jsonObject(with: Data(page.response.body))) == nil)
        let partial = try engine(fixture) { $0.garbage = .missingFields }
        let health = answer(partial, fixture, "\(path)/health", XKSBodies.health())
        #expect((try? JSONDecoder().decode(XKSHealthResponse.self, from: Data(health.response.body))) == nil)
        let decrypted = answer(partial, fixture, "\(path)/keys/foo/metadata", ["requestMetadata": XKSBodies.metadata("CreateKey")])
        #expect((try? JSONDecoder().decode(XKSKeyMetadataResponse.self, from: Data(decrypted.response.body))) == nil)
    }

    @Test func faultsLastInTheStateFileAndSummarize() throws {
        let fixture = try ProxyFixture()
        defer { fixture.remove() }
        _ = try fixture.database.updateFaults { $0.latencyMilliseconds = 400; $0.certificate = .expired }
        let faults = try fixture.database.snapshot().faults
        #expect(faults.latencyMilliseconds == 400)
        #expect(faults.summary.contains("certificate expired"))
    }

    @Test func theRequestLogHasOneLinePerRequest() async throws {
        let fixture = try ProxyFixture()
        defer { fixture.remove() }
        let proxy = try await fixture.start(tls: false)
        let client = try XKSTestClient(port: proxy.port, caPEM: nil)
        var body = XKSBodies.health()
        body["requestMetadata"] = ["kmsRequestId": "log-check-1", "kmsOperation": "KmsHealthCheck"]
        _ = try await client.post("\(path)/health", body, signer: KMSStyleSigner(credential: fixture.credential))
        _ = try await client.post("\(path)/keys/nope/metadata", ["requestMetadata": XKSBodies.metadata("CreateKey")],
                                  signer: KMSStyleSigner(credential: fixture.credential))
        await client.shutdown()
        await proxy.stop()
        let lines = try String(contentsOfFile: RequestLog.fileURL(home: fixture.home).path, encoding: .utf8)
            .split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(lines[0].contains("kmsRequestId=log-check-1 kmsOperation=KmsHealthCheck operation=GetHealthStatus key=/example/uri/path/prefix outcome=OK status=200 latency="))
        #expect(lines[1].contains("operation=GetKeyMetadata key=/example/uri/path/prefix:nope outcome=KeyNotFoundException status=404"))
    }
}
