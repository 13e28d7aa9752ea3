import Foundation
import Testing

/// `cks keys` and `cks create-key`: a store's KMS keys are Unavailable whenever it is not CONNECTED.
@Suite("cks keys / create-key")
struct KeysCommandTests {
    /// KeyId → KeyState, from `cks keys <store> --output json`.
    static func keyStates(_ store: Demo.Store, in world: TestWorld, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String: String] {
        let answer = try await world.json("keys", store.name, "--output", "json", sourceLocation: sourceLocation)
        let keys = try #require(answer["Keys"] as? [[String: Any]], sourceLocation: sourceLocation)
        var states: [String: String] = [:]
        for key in keys {
            let metadata = try #require(key["KeyMetadata"] as? [String: Any], sourceLocation: sourceLocation)
            states[try #require(metadata["KeyId"] as? String, sourceLocation: sourceLocation)] = metadata["KeyState"] as? String
        }
        return states
    }

    @Test("keys of a DISCONNECTED store: table and json, Unavailable except PendingDeletion")
    func disconnectedStoreKeys() async throws {
        let world = try TestWorld()
        let store = Demo.ledgerArchive
        let table = try await world.run("keys", store.name)
        expectSuccess(table)
        #expect(!hasANSIEscape(table.stdout))
        #expect(table.lines.first?.contains(store.id) == true && table.lines.first?.contains("DISCONNECTED") == true, "\(table)")
        #expect(table.stdout.contains("KEY ID") && table.stdout.contains("STATE"), "\(table)")
        #expect(table.stdout.contains("Unavailable") && table.stdout.contains("PendingDeletion"), "\(table)")
        #expect(!table.stdout.contains("Enabled") && !table.stdout.contains("Disabled"), "\(table)")

        let answer = try await world.json("keys", store.id, "--output", "json")
        let keys = try #require(answer["Keys"] as? [[String: Any]])
        #expect(keys.count >= 3)
        for key in keys {
            let metadata = try #require(key["KeyMetadata"] as? [String: Any])
            let id = try #require(metadata["KeyId"] as? String)
            #expect(id.wholeMatch(of: /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/) != nil, "\(id)")
            #expect((metadata["Arn"] as? String)?.wholeMatch(of: /arn:aws:kms:[a-z0-9-]+:[0-9]{12}:key\/.+/) != nil)
            #expect((metadata["Arn"] as? String)?.hasSuffix(":key/\(id)") == true)
            #expect(metadata["CustomKeyStoreId"] as? String == store.id)
            #expect(metadata["CloudHsmClusterId"] as? String == store.cluster)
            #expect(metadata["Origin"] as? String == "AWS_CLOUDHSM")
            #expect(metadata["CreationDate"] is Double)
            #expect(["Unavailable", "PendingDeletion"].contains(metadata["KeyState"] as? String ?? ""), "\(metadata)")
        }
        #expect(keys.contains { ($0["KeyMetadata"] as? [String: Any])?["KeyState"] as? String == "PendingDeletion" })
    }

    @Test("connect brings keys back to Enabled / Disabled; disconnect makes them Unavailable; PendingDeletion stays")
    func keyStatesFollowTheConnection() async throws {
        let world = try TestWorld()
        let store = Demo.paymentsProd
        let connected = try await Self.keyStates(store, in: world)
        #expect(Set(connected.values) == ["Enabled", "Disabled", "PendingDeletion"], "\(connected)")

        expectSuccess(try await world.run("disconnect", store.name, "--wait"))
        let disconnected = try await Self.keyStates(store, in: world)
        #expect(Set(disconnected.keys) == Set(connected.keys))
        for (id, state) in connected {
            #expect(disconnected[id] == (state == "PendingDeletion" ? "PendingDeletion" : "Unavailable"), "\(id): \(state) → \(disconnected[id] ?? "-")")
        }
        let table = try await world.run("keys", store.name)
        #expect(table.stdout.contains("Unavailable") && !table.stdout.contains("Enabled"), "\(table)")

        expectSuccess(try await world.run("connect", store.name, "--wait"))
        #expect(try await Self.keyStates(store, in: world) == connected, "back to what they were")
    }

    @Test("keys of a FAILED store are Unavailable (PendingDeletion stays)")
    func failedStoreKeys() async throws {
        let world = try TestWorld()
        let states = try await Self.keyStates(Demo.tokenizationVault, in: world)
        #expect(!states.isEmpty && Set(states.values).isSubset(of: ["Unavailable", "PendingDeletion"]), "\(states)")
    }

    @Test("create-key is refused on a store that is not CONNECTED", arguments: [Demo.ledgerArchive, Demo.tokenizationVault])
    func createKeyRefused(_ store: Demo.Store) async throws {
        let world = try TestWorld()
        let before = try await Self.keyStates(store, in: world)
        let result = try await world.run("create-key", store.name, "--description", "should not exist")
        expectKMSError(result, "CustomKeyStoreInvalidStateException")
        #expect(result.stderr.contains("CONNECTED"), "\(result)")
        #expect(try await Self.keyStates(store, in: world) == before)
    }

    @Test("create-key on a CONNECTED store: an Enabled key in that store, listed by cks keys")
    func createKey() async throws {
        let world = try TestWorld()
        let store = Demo.paymentsProd
        let result = try await world.run("create-key", store.name, "--description", "made by a test", "--output", "json")
        expectSuccess(result)
        let answer = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let metadata = try #require(answer["KeyMetadata"] as? [String: Any])
        let id = try #require(metadata["KeyId"] as? String)
        #expect(metadata["KeyState"] as? String == "Enabled")
        #expect(metadata["CustomKeyStoreId"] as? String == store.id)
        #expect(metadata["Description"] as? String == "made by a test")
        #expect(metadata["Origin"] as? String == "AWS_CLOUDHSM")
        #expect(try await Self.keyStates(store, in: world)[id] == "Enabled")

        let table = try await world.run("create-key", store.id)
        expectSuccess(table)
        #expect(table.stdout.contains("arn:aws:kms:"), "\(table)")
        let listing = try await world.run("keys", store.name)
        #expect(listing.stdout.contains(id) && listing.stdout.contains("made by a test"), "\(listing)")
    }

    @Test("a key's use is recorded (cks sim use-key) and shown as its last use; a key of a disconnected store cannot be used")
    func keyUsage() async throws {
        let world = try TestWorld()
        let states = try await Self.keyStates(Demo.paymentsProd, in: world)
        let key = try #require(states.first { $0.value == "Enabled" }?.key)
        expectSuccess(try await world.run("sim", "use-key", key, "--operation", "Sign"))
        let answer = try await world.json("keys", Demo.paymentsProd.name, "--output", "json")
        let entry = try #require((answer["Keys"] as? [[String: Any]])?.first { ($0["KeyMetadata"] as? [String: Any])?["KeyId"] as? String == key })
        let usage = try #require(entry["LastUsage"] as? [String: Any], "\(entry)")
        #expect(usage["Operation"] as? String == "Sign")
        #expect(usage["Time"] is Double)
        let table = try await world.run("keys", Demo.paymentsProd.name)
        let row = try #require(table.lines.first { $0.hasPrefix(key) })
        #expect(row.contains("Sign"), "\(row)")

        let unavailable = try #require(try await Self.keyStates(Demo.ledgerArchive, in: world).first { $0.value == "Unavailable" }?.key)
        expectKMSError(try await world.run("sim", "use-key", unavailable), "KMSInvalidStateException")
    }

    @Test("keys of an unknown store: CustomKeyStoreNotFoundException")
    func unknownStore() async throws {
        let world = try TestWorld()
        expectKMSError(try await world.run("keys", "no-such-store"), "CustomKeyStoreNotFoundException")
        expectKMSError(try await world.run("create-key", "no-such-store"), "CustomKeyStoreNotFoundException")
    }
}

/// What a new user's trial found about keys of a FAILED store (issue 15, item 13).
@Suite("create-key on a FAILED store")
struct CreateKeyOnFailedStoreTests {
    @Test("create-key on a FAILED store says to disconnect it first, not to connect it")
    func saysDisconnectFirst() async throws {
        let world = try TestWorld()
        let result = try await world.run("create-key", Demo.tokenizationVault.name)
        expectKMSError(result, "CustomKeyStoreInvalidStateException", mentioning: ["FAILED", "INVALID_CREDENTIALS", "disconnect it first"])
        #expect(!result.stderr.contains("custom key store: connect it first"), "the old advice is gone: \(result)")
    }
}
