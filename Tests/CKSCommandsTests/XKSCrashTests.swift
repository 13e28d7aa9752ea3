import CKSTestSupport
import Foundation
import KeyStoreEngine
import Simulator
import Testing

/// SIGKILL a real `cks connect --wait` of a VPC external key store in the middle of its workflow: the next cks
/// that opens the world continues it (its embedded proxy answers the health check), and it ends CONNECTED with
/// exactly one interface endpoint and one hosted zone, each step applied once.
@Suite("crash during an external key store connect")
struct XKSCrashTests {
    static let host = "xks.crash.example.com"
    static let prefix = "/crash/test"
    static let accessKeyId = "CRASHTESTPROXYCREDENTIAL"
    static let secret = String(repeating: "Q3Jh", count: 11)
    static let service = "com.amazonaws.vpce.us-east-1.vpce-svc-0c4a5e1d2b3f46789"
    /// A debug cks on a loaded machine needs more than KMS's 250 ms for a TLS handshake.
    static let environment: [String: String?] = ["NO_COLOR": "1", "CKS_XKS_TIMEOUT_MS": "15000"]

    enum KillMoment: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case afterEndpointService, afterVpcEndpoint, whileCheckingHealth
        var testDescription: String { rawValue }

        func reached(_ output: String) -> Bool {
            let lines = output.split(separator: "\n")
            switch self {
            case .afterEndpointService: return lines.contains { $0.contains("✓") && $0.contains("endpoint service") }
            case .afterVpcEndpoint: return lines.contains { $0.contains("✓") && $0.contains("vpce-") }
            case .whileCheckingHealth: return lines.contains { $0.contains("▸") && $0.contains("GetHealthStatus") }
            }
        }
    }

    enum Resume: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case connectWaitAgain, listRepeatedly
        var testDescription: String { rawValue }
    }

    /// A world with the embedded proxy serving the store's prefix, the host routed to it, and a DISCONNECTED VPC
    /// store (Create does not call the proxy for a VPC store).
    static func prepare() async throws -> (TestWorld, String) {
        let world = try TestWorld()
        expectSuccess(try await world.run("xks-proxy", "init", "--uri-path-prefix", prefix, "--access-key-id", accessKeyId,
                                          "--secret-access-key", secret))
        expectSuccess(try await world.run("sim", "xks-route", host, "embedded"))
        let service = try SimulatorService.open(home: world.home, pace: .instant, drive: false)
        let id = try await service.createKeyStore(CreateKeyStoreRequest(name: "crash-xks", external: XKSProxySettings(
            connectivity: .vpcEndpointService, uriEndpoint: "https://\(host)", uriPath: prefix + "/kms/xks/v1",
            credential: XKSProxyCredential(accessKeyId: accessKeyId, rawSecretAccessKey: secret), vpcEndpointServiceName: Self.service)))
        service.close()
        await service.shutdownProxyConnections()
        return (world, id)
    }

    @Test("SIGKILL during an XKS connect --wait: the next cks continues it to CONNECTED, one endpoint and zone, each step once",
          arguments: KillMoment.allCases, Resume.allCases)
    func killMidConnect(_ moment: KillMoment, _ resume: Resume) async throws {
        let (world, id) = try await Self.prepare()
        let connect = try world.start(["connect", "crash-xks", "--wait", "--pace", "demo"], environment: Self.environment, terminal: true)
        connect.killWhenOutput { moment.reached($0) }
        let killed = try await connect.finish(bound: .testWaitBound)
        #expect(killed.killedBySignal && killed.status == SIGKILL, "\(killed)")
        #expect(moment.reached(killed.stdout) && !killed.stdout.contains("is ● CONNECTED"), "\(killed)")
        #expect(try await world.sqlite("select state from key_stores where id = '\(id)'") == ["CONNECTING"])
        #expect(try await world.sqliteCount("select count(*) from workflows where key_store_id = '\(id)'") == 1)

        switch resume {
        case .connectWaitAgain:
            let result = try await world.run(["connect", "crash-xks", "--wait"], environment: Self.environment, bound: .testWaitBound)
            expectSuccess(result)
            #expect(result.lines.last?.contains("CONNECTED") == true, "\(result)")
        case .listRepeatedly:
            // Each `cks list` catches up what is due; the one that finds the health step due calls the proxy.
            try await poll("\(id) to be CONNECTED", bound: .testWaitBound, every: .milliseconds(50)) {
                let result = try await world.run(["list", "--output", "json", "--id", id], environment: Self.environment)
                return result.stdout.contains("\"ConnectionState\": \"CONNECTED\"") ? true : nil
            }
        }
        #expect(try await world.state(of: id).state == "CONNECTED")
        #expect(try await world.sqlite("select kind from xks_vpc_resources where key_store_id = '\(id)' order by kind")
                == ["hosted-zone", "vpc-endpoint"], "one interface endpoint and one hosted zone")
        func count(_ condition: String) async throws -> Int {
            try await world.sqliteCount("select count(*) from events where key_store_id = '\(id)' and \(condition)")
        }
        #expect(try await count("json_extract(kind, '$.connectionStateChanged.to') = 'CONNECTED'") == 1)
        #expect(try await count("json_extract(kind, '$.connectionStateChanged.to') = 'CONNECTING'") == 1)
        for step in ["checkEndpointService", "createVpcEndpoint", "createHostedZone", "checkProxyHealth"] {
            #expect(try await count("json_extract(kind, '$.stepFinished._0') = '\(step)'") == 1, "\(step) once")
        }
        #expect(try await world.sqliteCount("select count(*) from workflows") == 0, "no workflow left")
        // And a disconnect removes both again.
        expectSuccess(try await world.run(["disconnect", "crash-xks", "--wait"], environment: Self.environment, bound: .testWaitBound))
        #expect(try await world.sqliteCount("select count(*) from xks_vpc_resources") == 0)
    }
}
