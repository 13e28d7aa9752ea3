import Foundation
import KeyStoreEngine
import Simulator
import Testing

/// Every store operation in every connection state, against spec section 2's table and sections 8.2/8.5.
/// The expected table is written out here from the spec, not taken from KeyStoreRules.
@Suite("Operation × connection state")
struct StateMatrixTests {
    enum Operation: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case connect
        case disconnect
        case rename
        case editPassword
        case editCluster
        case deleteWithoutKeys
        case deleteWithKeys
        case createKey

        var testDescription: String { rawValue }
    }

    enum Expected: Equatable {
        /// Accepted and done; the store is in this state right after the call.
        case accepted(ConnectionState)
        /// Accepted with `{}`, nothing changes (spec 8.2).
        case noEffect
        case rejected(KMSError.Code)
    }

    /// Spec section 2 "Operations allowed per state", with section 8.2 (Connect on CONNECTED/CONNECTING is a
    /// no-op) and 8.5 (rename while CONNECTED; every other change needs DISCONNECTED).
    static func expected(_ operation: Operation, _ state: ConnectionState) -> Expected {
        let invalid = Expected.rejected(.customKeyStoreInvalidState)
        switch (operation, state) {
        case (.connect, .disconnected): return .accepted(.connecting)
        case (.connect, .connecting), (.connect, .connected): return .noEffect
        case (.connect, _): return invalid

        case (.disconnect, .connecting), (.disconnect, .connected), (.disconnect, .failed): return .accepted(.disconnecting)
        case (.disconnect, _): return invalid

        case (.rename, .disconnected), (.rename, .connected): return .accepted(state)
        case (.rename, _): return invalid

        case (.editPassword, .disconnected), (.editCluster, .disconnected): return .accepted(.disconnected)
        case (.editPassword, _), (.editCluster, _): return invalid

        case (.deleteWithoutKeys, .disconnected): return .accepted(.disconnected)
        case (.deleteWithKeys, .disconnected): return .rejected(.customKeyStoreHasCMKs)
        case (.deleteWithoutKeys, _), (.deleteWithKeys, _): return invalid

        case (.createKey, .connected): return .accepted(.connected)
        case (.createKey, _): return invalid
        }
    }

    @Test("Each operation in each state does what KMS does", arguments: Operation.allCases, ConnectionState.allCases)
    func operationInState(operation: Operation, state: ConnectionState) async throws {
        let world = try World()
        defer { world.remove() }
        let service = world.service

        let id = try await world.createSpareStore()
        if operation == .deleteWithKeys {
            try await world.connectAndSettle(id)
            _ = try await service.createKey(inKeyStore: id, description: "keeps the store")
            try await world.disconnectAndSettle(id)
        }
        let relatedCluster = operation == .editCluster ? try await world.restore(Demo.Cluster.spare) : nil
        try await world.bring(id, to: state)

        let cursor = try await service.latestEventSequence()
        let before = try await world.store(id)
        let expected = Self.expected(operation, state)

        func perform() async throws {
            switch operation {
            case .connect: try await service.connectKeyStore(id: id)
            case .disconnect: try await service.disconnectKeyStore(id: id)
            case .rename: try await service.updateKeyStore(UpdateKeyStoreRequest(customKeyStoreId: id, newName: "renamed-store"))
            case .editPassword:
                try await service.updateKeyStore(UpdateKeyStoreRequest(customKeyStoreId: id, keyStorePassword: "NewPassword42"))
            case .editCluster:
                try await service.updateKeyStore(UpdateKeyStoreRequest(customKeyStoreId: id, cloudHsmClusterId: relatedCluster))
            case .deleteWithoutKeys, .deleteWithKeys: try await service.deleteKeyStore(id: id)
            case .createKey: _ = try await service.createKey(inKeyStore: id, description: "new key")
            }
        }

        switch expected {
        case let .rejected(code):
            let error = await expectKMSError(code, id) { try await perform() }
            if code == .customKeyStoreInvalidState {
                #expect(error?.message.contains(state.rawValue) == true, "the message names the state: \(error?.message ?? "")")
            }
            if operation == .connect && state == .failed {
                // Spec 8.2: the message for FAILED says to disconnect first.
                #expect(error?.message.lowercased().contains("disconnect it first") == true)
            }
            if code == .customKeyStoreHasCMKs {
                #expect(error?.message.contains("1 KMS key") == true)
            }
            let after = try await world.store(id)
            #expect(after == before, "a rejected call changes nothing")
            #expect(try await world.events(of: id, after: cursor).isEmpty)

        case .noEffect:
            try await perform()
            let after = try await world.store(id)
            #expect(after == before)
            #expect(try await world.events(of: id, after: cursor).isEmpty, "a no-op connect records nothing")
            // The workflow already under way is not restarted or doubled.
            let settled = try await world.settle(id)
            #expect(settled.connectionState == .connected)
            let connectedTransitions = try await world.history(id).filter { $0.kind.stateChange?.to == .connected }
            #expect(connectedTransitions.count == 1)

        case let .accepted(stateAfter):
            try await perform()
            if operation == .deleteWithoutKeys {
                await expectKMSError(.customKeyStoreNotFound, id) { try await world.store(id) }
                let deleted = try await world.history(id).last
                #expect(deleted?.kind == .keyStoreDeleted(name: "spare-store"))
                return
            }
            let after = try await world.store(id)
            #expect(after.connectionState == stateAfter)
            let events = try await world.events(of: id, after: cursor)
            switch operation {
            case .connect:
                #expect(events.contains { $0.kind == .workflowStarted(.connect) })
                #expect(try await world.settle(id).connectionState == .connected)
            case .disconnect:
                #expect(events.contains { $0.kind == .workflowStarted(.disconnect) })
                #expect(try await world.settle(id).connectionState == .disconnected)
            case .rename:
                #expect(after.name == "renamed-store")
                let byName = try await service.describeKeyStores(DescribeKeyStoresRequest(customKeyStoreName: "renamed-store"))
                #expect(byName.keyStores.map(\.id) == [id])
                #expect(events.map(\.kind) == [.keyStoreUpdated(changes: ["name spare-store → renamed-store"])])
            case .editPassword:
                #expect(events.map(\.kind) == [.keyStoreUpdated(changes: ["key store password"])])
            case .editCluster:
                #expect(after.cloudHsmClusterId == relatedCluster)
            case .createKey:
                let keys = try await service.keys(inKeyStore: id)
                #expect(keys.map(\.keyState) == [.enabled])
                #expect(events.contains { if case .keyCreated = $0.kind { true } else { false } })
            case .deleteWithoutKeys, .deleteWithKeys:
                Issue.record("unreachable")
            }
        }
    }

    @Test("The demo world's FAILED stores refuse Connect with a message that says to disconnect first",
          arguments: [(Demo.tokenization, ConnectionErrorCode.invalidCredentials),
                      (Demo.signing, .insufficientCloudHSMHSMs), (Demo.partner, .userLoggedIn)])
    func failedDemoStoreRefusesConnect(id: String, code: ConnectionErrorCode) async throws {
        let world = try World()
        defer { world.remove() }
        let store = try await world.store(id)
        #expect(store.connectionState == .failed)
        #expect(store.connectionErrorCode == code)
        await expectKMSError(.customKeyStoreInvalidState, id, "FAILED", code.rawValue, "Disconnect it first") {
            try await world.service.connectKeyStore(id: id)
        }
        #expect(try await world.store(id) == store)
    }

    @Test("Every operation on an unknown store ID is CustomKeyStoreNotFoundException", arguments: Operation.allCases)
    func unknownStore(operation: Operation) async throws {
        let world = try World()
        defer { world.remove() }
        let service = world.service
        let id = "cks-0123456789abcdef0"
        await expectKMSError(.customKeyStoreNotFound, id) {
            switch operation {
            case .connect: try await service.connectKeyStore(id: id)
            case .disconnect: try await service.disconnectKeyStore(id: id)
            case .rename: try await service.updateKeyStore(UpdateKeyStoreRequest(customKeyStoreId: id, newName: "x-name"))
            case .editPassword: try await service.updateKeyStore(UpdateKeyStoreRequest(customKeyStoreId: id, keyStorePassword: "Password1"))
            case .editCluster:
                try await service.updateKeyStore(UpdateKeyStoreRequest(customKeyStoreId: id, cloudHsmClusterId: Demo.Cluster.spare))
            case .deleteWithoutKeys, .deleteWithKeys: try await service.deleteKeyStore(id: id)
            case .createKey: _ = try await service.createKey(inKeyStore: id)
            }
        }
    }
}
