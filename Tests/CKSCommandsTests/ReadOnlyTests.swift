import Foundation
import Testing

/// `--read-only` refuses every command that changes a store or a key, before or after the command name, and
/// leaves the world as it was (issue 15, item 6).
@Suite("--read-only")
struct ReadOnlyTests {
    /// A command that changes something, and the words its refusal uses.
    struct Change: Sendable, CustomTestStringConvertible {
        var arguments: [String]
        var refusal: String
        var testDescription: String { arguments.first ?? "" }
    }

    static let key = "KEY"
    static let changes: [Change] = [
        Change(arguments: ["connect", Demo.ledgerArchive.name], refusal: "connect key stores"),
        Change(arguments: ["connect", Demo.ledgerArchive.name, "--wait"], refusal: "connect key stores"),
        Change(arguments: ["disconnect", Demo.paymentsProd.name], refusal: "disconnect key stores"),
        Change(arguments: ["create", "--name", "read-only-store", "--cluster-id", Demo.spareCluster,
                           "--trust-anchor-certificate", "/nonexistent/customerCA.crt", "--password", Demo.sparePassword],
               refusal: "create key stores"),
        Change(arguments: ["update", Demo.ledgerArchive.name, "--new-name", "renamed"], refusal: "update key stores"),
        Change(arguments: ["delete", Demo.ledgerArchive.name], refusal: "delete key stores"),
        Change(arguments: ["create-key", Demo.paymentsProd.name], refusal: "create KMS keys"),
        Change(arguments: ["enable-key", key], refusal: "enable KMS keys"),
        Change(arguments: ["disable-key", key], refusal: "disable KMS keys"),
        Change(arguments: ["schedule-key-deletion", key], refusal: "schedule the deletion of KMS keys"),
        Change(arguments: ["cancel-key-deletion", key], refusal: "cancel the deletion of KMS keys"),
        Change(arguments: ["sim", "block-network", Demo.spareCluster], refusal: "change the simulated world"),
        Change(arguments: ["sim", "use-key", key], refusal: "record key uses"),
    ]

    /// Every store and key as `cks list` and `cks keys` show them (what a refused command must not change).
    static func snapshot(_ world: TestWorld) async throws -> String {
        var text = try await world.run("list", "--output", "json").stdout
        text += try await world.run("sim", "clusters", "--output", "json").stdout
        for store in [Demo.paymentsProd, Demo.ledgerArchive] {
            text += try await world.run("keys", store.id, "--output", "json").stdout
        }
        return text
    }

    @Test("Every change is refused with exit 2 and a message naming it, whether --read-only comes first or last", arguments: changes)
    func refused(_ change: Change) async throws {
        let world = try TestWorld()
        let enabled = try await KeyActionCommandTests.key(in: "Enabled", of: Demo.paymentsProd, in: world)
        let arguments = change.arguments.map { $0 == Self.key ? enabled : $0 }
        let before = try await Self.snapshot(world)
        for placed in [["--read-only"] + arguments, arguments + ["--read-only"]] {
            let result = try await world.run(placed)
            #expect(result.status == 2 && !result.killedBySignal, "\(result)")
            #expect(result.stderr.contains("--read-only is on, so cks does not \(change.refusal).")
                    && result.stderr.contains("without --read-only"), "\(result)")
            #expect(result.stdout.isEmpty, "\(result)")
        }
        #expect(try await Self.snapshot(world) == before, "nothing changed")
    }

    @Test("Commands that only look still work with --read-only")
    func readsWork() async throws {
        let world = try TestWorld()
        expectSuccess(try await world.run("--read-only", "list"))
        expectSuccess(try await world.run("keys", Demo.paymentsProd.name, "--read-only"))
    }
}
