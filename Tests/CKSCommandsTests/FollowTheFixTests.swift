import Foundation
import Testing

/// Each CloudHSM code's printed fix, followed word for word through the binary: every `cks` command in the
/// steps (not the real-AWS ones), in order, ends with the store CONNECTED (issue 15, items 1-4).
@Suite("Following the printed fix")
struct FollowTheFixTests {
    /// The `cks sim` fault commands of a code, on ledger-archive's cluster; SUBNET stands for a subnet of it.
    static let faults: [(code: String, fault: [String])] = [
        ("CLUSTER_NOT_FOUND", ["delete-cluster", Demo.ledgerArchive.cluster]),
        ("SUBNET_NOT_FOUND", ["delete-subnet", "SUBNET"]),
        ("INSUFFICIENT_CLOUDHSM_HSMS", ["remove-hsm", Demo.ledgerArchive.cluster, "--all"]),
        ("INSUFFICIENT_FREE_ADDRESSES_IN_SUBNET", ["fill-subnet", "SUBNET"]),
        ("NETWORK_ERRORS", ["block-network", Demo.ledgerArchive.cluster]),
        ("USER_NOT_FOUND", ["delete-kmsuser", Demo.ledgerArchive.cluster]),
        ("USER_LOGGED_IN", ["login-kmsuser", Demo.ledgerArchive.cluster]),
        ("USER_LOCKED_OUT", ["lock-kmsuser", Demo.ledgerArchive.cluster]),
        ("INVALID_CREDENTIALS", ["set-kmsuser-password", Demo.ledgerArchive.cluster, "--password", "SomebodyElse1"]),
        ("INTERNAL_ERROR", ["internal-error", Demo.ledgerArchive.cluster]),
    ]

    /// The `cks …` commands of the printed fix, in order, leaving out the real-AWS equivalents.
    static func commands(inFix output: String) -> [[String]] {
        guard let start = output.range(of: "How to fix it:") else { return [] }
        var commands: [[String]] = []
        for line in output[start.upperBound...].split(separator: "\n") {
            let own = line.components(separatedBy: "(real AWS").first ?? String(line)
            let spans = own.split(separator: "`", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }
            for span in spans.map({ String($0.element) }) where span.hasPrefix("cks ") {
                commands.append(span.split(separator: " ").dropFirst().map(String.init))
            }
        }
        return commands
    }

    @Test("Fault → FAILED with its code → the printed cks commands, word for word → CONNECTED", arguments: faults.map(\.code))
    func printedFixEndsConnected(code: String) async throws {
        let world = try TestWorld()
        let store = Demo.ledgerArchive.id
        let subnets = try await world.subnets(ofCluster: Demo.ledgerArchive.cluster).sorted { $0.key < $1.key }.map(\.value)
        let fault = try #require(Self.faults.first { $0.code == code }).fault.map { $0 == "SUBNET" ? subnets[2] : $0 }
        expectSuccess(try await world.run(["sim"] + fault))

        let failed = try await world.run("connect", store, "--wait")
        #expect(failed.status == 3, "\(failed)")
        #expect(failed.stdout.contains(code), "\(failed.stdout)")
        let commands = Self.commands(inFix: failed.stdout)
        #expect(commands.first == ["disconnect", store, "--wait"])
        #expect(commands.last == ["connect", store, "--wait"])
        for command in commands {
            #expect(!command.joined(separator: " ").contains("<"), "a placeholder left in `cks \(command.joined(separator: " "))`")
            let result = try await world.run(command)
            #expect(result.status == 0, "cks \(command.joined(separator: " ")): \(result)")
        }
        #expect(try await world.state(of: store).state == "CONNECTED", "after following the fix of \(code)")
    }

    @Test("add-hsm on a DELETED cluster is refused and names the restore")
    func addHSMToADeletedClusterIsRefused() async throws {
        let world = try TestWorld()
        let cluster = Demo.ledgerArchive.cluster
        expectSuccess(try await world.run("sim", "delete-cluster", cluster))
        let result = try await world.run("sim", "add-hsm", cluster, "--az", "us-east-1a")
        #expect(result.status != 0)
        #expect(result.stderr.contains("DELETED") && result.stderr.contains("cks sim restore-cluster \(cluster)"), "\(result)")
    }

    @Test("sim clusters shows every fault in place, and how to lift it")
    func clustersShowEveryFault() async throws {
        let world = try TestWorld()
        let cluster = Demo.ledgerArchive.cluster
        let subnet = try await world.subnets(ofCluster: cluster).sorted { $0.key < $1.key }[1].value
        for fault in [["block-network", cluster], ["internal-error", cluster], ["delete-subnet", subnet], ["break-security-group", cluster]] {
            expectSuccess(try await world.run(["sim"] + fault))
        }
        let block = try await SimCommandTests.clusterBlock(cluster, in: world)
        #expect(block.contains("network:    blocked (`cks sim unblock-network \(cluster)` lifts it)"), "\(block)")
        #expect(block.contains("meets a KMS internal error"), "\(block)")
        #expect(block.contains("\(subnet) us-east-1b") && block.contains("DELETED"), "\(block)")
        #expect(block.contains("cks sim repair-security-group \(cluster)"), "\(block)")
        expectSuccess(try await world.run("sim", "unblock-network", cluster))
        #expect(try await SimCommandTests.clusterBlock(cluster, in: world).contains("network:    open"))
    }

    @Test("The free cluster says kmsuser's password; a store created with it connects")
    func freeClusterPasswordIsKnowable() async throws {
        let world = try TestWorld()
        let block = try await SimCommandTests.clusterBlock(Demo.spareCluster, in: world)
        let password = try #require(block.firstMatch(of: /password ([A-Za-z0-9]{7,32})/)?.1, "\(block)")
        #expect(block.contains("cks sim reset-kmsuser \(Demo.spareCluster) --password"), "how to set it: \(block)")
        let anchor = world.scratchFile("customerCA.crt")
        try (try await world.run("sim", "trust-anchor", Demo.spareCluster)).stdout.write(to: anchor, atomically: true, encoding: .utf8)
        let created = try await world.run("create", "--name", "on-spare", "--cluster-id", Demo.spareCluster,
                                          "--trust-anchor-certificate", anchor.path, "--password", String(password))
        expectSuccess(created)
        let connected = try await world.run("connect", "on-spare", "--wait")
        #expect(connected.status == 0, "\(connected)")
        #expect(connected.stdout.contains("CONNECTED"))
    }

    @Test("sim --help at 80 columns: every line fits, and each fault sits on one line with its code")
    func helpFitsEightyColumns() async throws {
        let world = try TestWorld()
        let help = try await world.run("sim", "--help", environment: ["COLUMNS": "80"])
        expectSuccess(help)
        let lines = help.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        for line in lines { #expect(line.count <= 80, "\(line)") }
        for (code, fault) in Self.faults {
            #expect(lines.contains { $0.contains(fault[0]) && $0.contains(code) }, "\(fault[0]) and \(code) on one line")
        }
        #expect(help.stdout.contains("undo: unblock-network C"))
    }
}
