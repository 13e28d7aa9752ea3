import CKSTestSupport
import Foundation
import Testing

/// `cks enable-key`, `disable-key`, `schedule-key-deletion` and `cancel-key-deletion`, with KMS's rules.
@Suite("cks enable-key / disable-key / schedule-key-deletion / cancel-key-deletion")
struct KeyActionCommandTests {
    /// The KeyMetadata of one key, from `cks keys <store> --output json`.
    static func metadata(_ key: String, of store: Demo.Store, in world: TestWorld,
                         sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String: Any] {
        let answer = try await world.json("keys", store.id, "--output", "json", sourceLocation: sourceLocation)
        let keys = try #require(answer["Keys"] as? [[String: Any]], sourceLocation: sourceLocation)
        let entry = try #require(keys.first { ($0["KeyMetadata"] as? [String: Any])?["KeyId"] as? String == key },
                                 "no key \(key) in \(store.name)", sourceLocation: sourceLocation)
        return try #require(entry["KeyMetadata"] as? [String: Any], sourceLocation: sourceLocation)
    }

    static func state(_ key: String, of store: Demo.Store, in world: TestWorld,
                      sourceLocation: SourceLocation = #_sourceLocation) async throws -> String? {
        try await metadata(key, of: store, in: world, sourceLocation: sourceLocation)["KeyState"] as? String
    }

    static func key(in state: String, of store: Demo.Store, in world: TestWorld,
                    sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let states = try await KeysCommandTests.keyStates(store, in: world, sourceLocation: sourceLocation)
        return try #require(states.first { $0.value == state }?.key, "no \(state) key in \(states)", sourceLocation: sourceLocation)
    }

    @Test("disable-key, enable-key, schedule-key-deletion (default 30 days), cancel-key-deletion on a CONNECTED store")
    func wholeCycle() async throws {
        let world = try TestWorld()
        let store = Demo.paymentsProd
        let key = try await Self.key(in: "Enabled", of: store, in: world)

        let disabled = try await world.run("disable-key", key)
        expectSuccess(disabled)
        #expect(disabled.stdout == "Disabled \(key).\n", "\(disabled)")
        #expect(try await Self.state(key, of: store, in: world) == "Disabled")
        expectSuccess(try await world.run("enable-key", key))
        #expect(try await Self.state(key, of: store, in: world) == "Enabled")

        let scheduled = try await world.json("schedule-key-deletion", key, "--output", "json")
        #expect(scheduled["KeyState"] as? String == "PendingDeletion")
        #expect(scheduled["PendingWindowInDays"] as? Int == 30, "30 days when --days is not given")
        let arn = try #require(scheduled["KeyId"] as? String)
        #expect(arn.hasSuffix(":key/\(key)"))
        let deletion = try #require(scheduled["DeletionDate"] as? Double)
        #expect(abs(deletion - Date().addingTimeInterval(30 * 86_400).timeIntervalSince1970) < 3600, "\(deletion)")
        let metadata = try await Self.metadata(key, of: store, in: world)
        #expect(metadata["KeyState"] as? String == "PendingDeletion")
        #expect(metadata["DeletionDate"] as? Double == deletion)

        let cancelled = try await world.run("cancel-key-deletion", key)
        expectSuccess(cancelled)
        #expect(cancelled.stdout.contains("it is Disabled") && cancelled.stdout.contains("cks enable-key \(key)"), "\(cancelled)")
        #expect(try await Self.state(key, of: store, in: world) == "Disabled", "a cancelled deletion leaves the key Disabled")

        let table = try await world.run("schedule-key-deletion", arn, "--days", "7")
        expectSuccess(table)
        #expect(table.stdout.contains("in 7 days") && table.stdout.contains("PendingDeletion")
                && table.stdout.contains("cks cancel-key-deletion \(key)"), "\(table)")
    }

    @Test("KMS's rules: the window is 7 to 30 days; a key pending deletion is neither enabled nor disabled; only it can be cancelled")
    func rules() async throws {
        let world = try TestWorld()
        let store = Demo.paymentsProd
        let key = try await Self.key(in: "Enabled", of: store, in: world)
        for days in ["6", "31"] {
            let result = try await world.run("schedule-key-deletion", key, "--days", days)
            expectKMSError(result, "ValidationException", mentioning: ["'\(days)'", "between 7 and 30"])
        }
        #expect(try await Self.state(key, of: store, in: world) == "Enabled", "a refused window changes nothing")
        expectKMSError(try await world.run("cancel-key-deletion", key), "KMSInvalidStateException", mentioning: ["is not pending deletion"])

        let pending = try await Self.key(in: "PendingDeletion", of: store, in: world)
        for action in ["enable-key", "disable-key"] {
            expectKMSError(try await world.run(action, pending), "KMSInvalidStateException",
                           mentioning: ["is pending deletion", "Cancel the deletion first"])
        }
        expectKMSError(try await world.run("schedule-key-deletion", pending), "KMSInvalidStateException", mentioning: ["is pending deletion"])
        #expect(try await Self.state(pending, of: store, in: world) == "PendingDeletion")
        expectKMSError(try await world.run("enable-key", "00000000-0000-0000-0000-000000000000"), "NotFoundException")
    }

    @Test("An Unavailable key (store DISCONNECTED) can be disabled and scheduled for deletion; it shows the change once connected")
    func unavailableKey() async throws {
        let world = try TestWorld()
        let store = Demo.ledgerArchive
        let key = try await Self.key(in: "Unavailable", of: store, in: world)
        let disabled = try await world.run("disable-key", key)
        expectSuccess(disabled)
        #expect(disabled.stdout.contains("stays Unavailable") && disabled.stdout.contains(store.id)
                && disabled.stdout.contains("Disabled once the store is connected"), "\(disabled)")
        #expect(try await Self.state(key, of: store, in: world) == "Unavailable")
        expectSuccess(try await world.run("connect", store.name, "--wait"))
        #expect(try await Self.state(key, of: store, in: world) == "Disabled")

        expectSuccess(try await world.run("disconnect", store.name, "--wait"))
        expectSuccess(try await world.run("schedule-key-deletion", key, "--days", "7"))
        #expect(try await Self.state(key, of: store, in: world) == "PendingDeletion", "PendingDeletion shows while disconnected")
        expectSuccess(try await world.run("cancel-key-deletion", key))
        #expect(try await Self.state(key, of: store, in: world) == "Unavailable")
    }

    @Test("The key actions on --backend aws, against cks serve: the same answers")
    func overTheAWSBackend() async throws {
        let world = try TestWorld()
        try await world.seed()
        let (serve, url, aws) = try await world.startServeForAWSBackend()
        func viaAWS(_ arguments: String...) async throws -> CommandResult {
            try await world.run(arguments + ["--backend", "aws", "--endpoint-url", url], environment: aws)
        }
        let store = Demo.paymentsProd
        let key = try await Self.key(in: "Enabled", of: store, in: world)

        let disabled = try await viaAWS("disable-key", key)
        expectSuccess(disabled)
        #expect(disabled.stdout == "Disabled \(key).\n", "\(disabled)")
        #expect(try await Self.state(key, of: store, in: world) == "Disabled")
        expectKMSError(try await viaAWS("schedule-key-deletion", key, "--days", "6"), "ValidationException", mentioning: ["between 7 and 30"])
        expectSuccess(try await viaAWS("schedule-key-deletion", key, "--days", "7"))
        expectKMSError(try await viaAWS("enable-key", key), "KMSInvalidStateException", mentioning: ["Cancel the deletion first"])
        expectSuccess(try await viaAWS("cancel-key-deletion", key))
        expectSuccess(try await viaAWS("enable-key", key))
        #expect(try await Self.state(key, of: store, in: world) == "Enabled")
        serve.send(SIGINT)
        _ = try await serve.finish(bound: .testWaitBound)
    }
}
