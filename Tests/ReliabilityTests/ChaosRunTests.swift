import ChaosHarness
import CKSTestSupport
import Foundation
import KeyStoreEngine
import Testing

/// The chaos harness in the test suite: a short run must find nothing, and its checks must find what is wrong.
@Suite("chaos harness")
struct ChaosRunTests {
    @Test("A short chaos run: CLI, server and console killed at random inside workflows; the world checks find nothing")
    func shortRun() async throws {
        let (exit, output) = try await ChaosCommand.run([
            "run", "--seconds", "10", "--seed", "20261205", "--kill-gap", "0.5-1.2", "--cli-workers", "1", "--kms-clients", "1",
            "--kms-pause", "0.005",
        ])
        #expect(exit?.isSuccess == true && output.contains(", 0 problems"), "\(output)")
        #expect((ChaosCommand.number(before: "kills", in: output) ?? 0) > 0, "\(output)")
        #expect((ChaosCommand.number(before: "workflows", in: output) ?? 0) > 0, "\(output)")
        #expect((ChaosCommand.number(before: "KMS requests", in: output) ?? 0) > 0, "\(output)")
    }

    @Test("The transitions the checks accept are the rules table's: into a transient state only where the action is allowed")
    func legalTransitions() {
        let legal = Set(ConnectionState.allCases.flatMap { from in
            ConnectionState.allCases.filter { ConnectionTransitions.isLegal(from: from, to: $0) }.map { "\(from.rawValue)→\($0.rawValue)" }
        })
        #expect(legal == [
            "DISCONNECTED→CONNECTING", "CONNECTING→CONNECTED", "CONNECTING→FAILED", "CONNECTING→DISCONNECTING",
            "CONNECTED→DISCONNECTING", "FAILED→DISCONNECTING", "DISCONNECTING→DISCONNECTED",
        ])
    }

    @Test("The world checks name each kind of damage: a stuck store, an illegal transition, a resource made twice, an orphan ENI, lost addresses, stray VPC resources")
    func checksFindDamage() async throws {
        let sqlite3 = try #require(Executables.onPath("sqlite3"), "the sqlite3 command is not installed")
        let home = FileManager.default.temporaryDirectory.appending(path: "cks-checks-\(UUID().uuidString.prefix(12))")
        defer { try? FileManager.default.removeItem(at: home) }
        var environment = ProcessInfo.processInfo.environment
        environment["CKS_HOME"] = home.path
        environment["CKS_PACE"] = "instant"
        let seeded = try await Spawn.runWithStatus(Executables.cks.path, ["list"], environment: environment, capture: false)
        try #require(seeded.exit.isSuccess)
        let world = WorldFile(home: home)
        let baseline = try WorldBaseline.read(world)
        #expect(try WorldChecks(world: world, baseline: baseline).problems() == [])

        let ledger = "cks-3c4d5e6f708192a3b"  // ledger-archive, DISCONNECTED
        let payments = "cks-1a2b3c4d5e6f70819"  // payments-prod, CONNECTED
        let orders = "cks-8192a3b4c5d6e7f80"  // orders-xks, CONNECTED, public endpoint
        let damage = """
            UPDATE key_stores SET state = 'CONNECTING' WHERE id = 'cks-4d5e6f708192a3b4c';
            INSERT INTO events (time, key_store_id, kind) VALUES (0, '\(ledger)', '{"connectionStateChanged":{"from":"DISCONNECTED","to":"CONNECTED"}}');
            INSERT INTO events (time, key_store_id, kind) VALUES (0, '\(ledger)', '{"connectionStateChanged":{"from":"CONNECTED","to":"DISCONNECTING"}}');
            INSERT INTO events (time, key_store_id, kind) VALUES (0, '\(ledger)', '{"connectionStateChanged":{"from":"DISCONNECTING","to":"DISCONNECTED"}}');
            INSERT INTO events (time, key_store_id, kind) VALUES (0, '\(payments)', '{"stepFinished":{"_0":"createSecurityGroup","resource":{"id":"sg-twice"}}}');
            INSERT INTO events (time, key_store_id, kind) VALUES (0, '\(payments)', '{"stepFinished":{"_0":"createSecurityGroup","resource":{"id":"sg-twice"}}}');
            INSERT INTO events (time, key_store_id, kind) VALUES (0, '\(payments)', '{"stepFinished":{"_0":"deleteSecurityGroup","resource":{"id":"sg-twice"}}}');
            INSERT INTO network_interfaces SELECT 'eni-orphan', '\(ledger)', subnet_id, availability_zone, private_ip, description, 'sg-gone'
                FROM network_interfaces WHERE key_store_id = '\(payments)' LIMIT 1;
            UPDATE subnets SET free_addresses = free_addresses - 3 WHERE id = (SELECT subnet_id FROM network_interfaces WHERE id = 'eni-orphan');
            INSERT INTO xks_vpc_resources (id, key_store_id, kind, name) VALUES ('vpce-stray', '\(orders)', 'vpc-endpoint', 'x');
            INSERT INTO xks_vpc_resources (id, key_store_id, kind, name) VALUES ('vpce-orphan', 'cks-gone', 'vpc-endpoint', 'x');
            """
        _ = try await Spawn.run(sqlite3, [world.path, damage], capture: false)
        let problems = try WorldChecks(world: world, baseline: baseline).problems()
        let text = problems.joined(separator: "\n")
        #expect(text.contains("hr-records is stuck in CONNECTING"), "\(text)")
        #expect(text.contains("illegal transition DISCONNECTED → CONNECTED"), "\(text)")
        #expect(text.contains("sg-twice was created 2 times"), "\(text)")
        #expect(text.contains("ledger-archive is DISCONNECTED but holds 0 security group(s) and 1 ENI(s)"), "\(text)")
        #expect(text.contains("eni-orphan is an orphan"), "\(text)")
        #expect(text.contains("eni-orphan is in the world but its creation is not in the history"), "\(text)")
        #expect(text.contains("free addresses plus ENIs went from"), "\(text)")
        #expect(text.contains("orders-xks is CONNECTED (public endpoint) but holds VPC resources [\"vpc-endpoint\"]"), "\(text)")
        #expect(text.contains("vpce-orphan is an orphan: its external key store is gone"), "\(text)")
    }
}
