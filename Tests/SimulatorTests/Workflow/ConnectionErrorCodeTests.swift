import Foundation
import KeyStoreEngine
import Simulator
import Testing

/// Every CloudHSM ConnectionErrorCode (spec section 4) reached through the real connect workflow, by breaking
/// the cluster of the healthy, DISCONNECTED demo store ledger-archive (spec 8.3, 8.4).
@Suite("Connect failures: every CloudHSM ConnectionErrorCode")
struct ConnectionErrorCodeTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var code: ConnectionErrorCode
        /// The step that finds the problem (spec 3.1's inference, error code ↔ step).
        var step: WorkflowStep
        var messageFragment: String
        var faults: @Sendable (CloudHSMCluster) -> [WorldFault]

        var testDescription: String { code.rawValue }
    }

    static let cases: [Case] = [
        Case(code: .clusterNotFound, step: .locateCluster, messageFragment: "cannot find cluster") {
            [.deleteCluster(clusterId: $0.id)]
        },
        Case(code: .subnetNotFound, step: .locateCluster, messageFragment: "no longer exists") {
            [.deleteSubnet(subnetId: $0.subnets[1].id)]
        },
        Case(code: .insufficientCloudHSMHSMs, step: .checkHSMs, messageFragment: "no active HSM") {
            [.removeHSM(clusterId: $0.id, hsmId: nil)]
        },
        Case(code: .insufficientFreeAddressesInSubnet, step: .createNetworkInterface, messageFragment: "no free IP address") {
            // The last subnet, so that the ENIs of the first two are made, then must be removed.
            [.fillSubnet(subnetId: $0.subnets[2].id)]
        },
        Case(code: .networkErrors, step: .connectToCluster, messageFragment: "cannot reach") {
            [.blockNetwork(clusterId: $0.id)]
        },
        Case(code: .userNotFound, step: .logInKmsUser, messageFragment: "kmsuser") {
            [.deleteKmsUser(clusterId: $0.id)]
        },
        Case(code: .userLoggedIn, step: .logInKmsUser, messageFragment: "already logged in") {
            [.logInKmsUserElsewhere(clusterId: $0.id)]
        },
        Case(code: .userLockedOut, step: .logInKmsUser, messageFragment: "locked out") {
            [.lockKmsUser(clusterId: $0.id)]
        },
        Case(code: .invalidCredentials, step: .logInKmsUser, messageFragment: "password") {
            [.setKmsUserPassword(clusterId: $0.id, password: "SomebodyElse1")]
        },
        Case(code: .internalError, step: .locateCluster, messageFragment: "internal error") {
            [.injectInternalError(clusterId: $0.id)]
        },
    ]

    @Test("The 10 cases cover exactly the CloudHSM codes")
    func coversEveryCode() {
        #expect(Set(Self.cases.map(\.code)) == Set(ConnectionErrorCode.cloudHSMCodes))
        #expect(Self.cases.count == 10)
    }

    @Test("A fault makes the connect end FAILED with its code, leaving no security group or ENI", arguments: cases)
    func connectFails(with failure: Case) async throws {
        let world = try World()
        defer { world.remove() }
        let id = Demo.ledger
        let cluster = try await world.cluster(Demo.Cluster.ledger)
        #expect(cluster.subnets.count == 3)
        let addressesBefore = Dictionary(uniqueKeysWithValues: cluster.subnets.map { ($0.id, $0.freeAddresses) })
        for fault in failure.faults(cluster) { try await world.service.apply(fault) }
        let cursor = try await world.service.latestEventSequence()

        // The synchronous checks pass: Connect returns {} and the store is CONNECTING.
        try await world.service.connectKeyStore(id: id)
        #expect(try await world.state(id) == .connecting)
        let store = try await world.settle(id)

        #expect(store.connectionState == .failed)
        #expect(store.connectionErrorCode == failure.code)
        #expect(store.apiJSON["ConnectionErrorCode"]?.stringValue == failure.code.rawValue)

        let events = try await world.events(of: id, after: cursor)
        let failures = events.compactMap(\.kind.stepFailed)
        #expect(failures.count == 1)
        #expect(failures.first?.code == failure.code)
        #expect(failures.first?.step == failure.step)
        #expect(failures.first?.message.lowercased().contains(failure.messageFragment.lowercased()) == true,
                "\(failures.first?.message ?? "no message")")
        let changes = events.compactMap(\.kind.stateChange)
        #expect(changes.map(\.to) == [.connecting, .failed])
        #expect(changes.last?.code == failure.code)
        // The failure is the last step event: the clean-up happens before the state becomes FAILED (spec 8.4).
        let failedAt = try #require(events.firstIndex { $0.kind.stepFailed != nil })
        let failedStateAt = try #require(events.firstIndex { $0.kind.stateChange?.to == .failed })
        #expect(failedAt < failedStateAt)
        #expect(!events[failedStateAt...].contains { $0.kind.stepFinished != nil || $0.kind.stepStarted != nil })

        // No resource left behind: by the events, and in the world file.
        let ledger = NetworkLedger(events)
        #expect(ledger.leftOver.isEmpty, "left over: \(ledger.leftOver)")
        let rows = try world.networkRows(ofKeyStore: id)
        #expect(rows.interfaces == 0)
        #expect(rows.groups == 0)
        if failure.code == .insufficientFreeAddressesInSubnet {
            #expect(ledger.createdGroups.count == 1)
            #expect(ledger.createdInterfaces.count == 2, "the ENIs of the first two subnets were made, then removed")
        }
        if failure.code == .networkErrors {
            #expect(ledger.createdInterfaces.count == 3)
        }
        // Addresses taken by the ENIs are given back.
        if failure.code != .clusterNotFound {
            let after = try await world.cluster(Demo.Cluster.ledger)
            for subnet in after.subnets where failure.code != .insufficientFreeAddressesInSubnet || subnet.id != cluster.subnets[2].id {
                #expect(subnet.freeAddresses == addressesBefore[subnet.id], "subnet \(subnet.id)")
            }
            #expect(after.kmsUser?.loggedInByKMS == false, "KMS does not stay logged in after a failed connect")
        }

        // Keys stay Unavailable, PendingDeletion stays.
        let keys = try await world.service.keys(inKeyStore: id)
        #expect(keys.map(\.keyState).sorted { $0.rawValue < $1.rawValue } == [.pendingDeletion, .unavailable, .unavailable, .unavailable])

        // FAILED cannot be connected again without a disconnect (spec 8.2, 8.4).
        await expectKMSError(.customKeyStoreInvalidState, "disconnect it first") { try await world.service.connectKeyStore(id: id) }
        let disconnected = try await world.disconnectAndSettle(id)
        #expect(disconnected.connectionState == .disconnected)
        #expect(disconnected.connectionErrorCode == nil, "the code shows only while FAILED")
    }

    @Test("A cluster security group without its rules makes Connect itself throw, and the store stays DISCONNECTED")
    func brokenSecurityGroupFailsSynchronously() async throws {
        let world = try World()
        defer { world.remove() }
        try await world.service.apply(.breakSecurityGroup(clusterId: Demo.Cluster.ledger))
        let cursor = try await world.service.latestEventSequence()
        await expectKMSError(.cloudHsmClusterInvalidConfiguration, Demo.Cluster.ledger, "2223-2225") {
            try await world.service.connectKeyStore(id: Demo.ledger)
        }
        #expect(try await world.state(Demo.ledger) == .disconnected)
        #expect(try await world.events(of: Demo.ledger, after: cursor).isEmpty, "no workflow starts")
        try await world.advance(60)
        #expect(try await world.state(Demo.ledger) == .disconnected)
        #expect(try world.networkRows(ofKeyStore: Demo.ledger) == (0, 0))

        try await world.service.apply(.repairSecurityGroup(clusterId: Demo.Cluster.ledger))
        #expect(try await world.connectAndSettle(Demo.ledger).connectionState == .connected)
    }

    @Test("Security group rules removed during a connect end in NETWORK_ERRORS")
    func securityGroupBrokenMidway() async throws {
        let world = try World()
        defer { world.remove() }
        try await world.service.connectKeyStore(id: Demo.ledger)
        try await world.advance(1)
        try await world.service.apply(.breakSecurityGroup(clusterId: Demo.Cluster.ledger))
        let store = try await world.settle(Demo.ledger)
        #expect(store.connectionState == .failed)
        #expect(store.connectionErrorCode == .networkErrors)
        #expect(try world.networkRows(ofKeyStore: Demo.ledger) == (0, 0))
    }

    @Test("Five wrong logins lock kmsuser: INVALID_CREDENTIALS five times, then USER_LOCKED_OUT")
    func fiveWrongLoginsLockTheUser() async throws {
        let world = try World()
        defer { world.remove() }
        try await world.service.apply(.setKmsUserPassword(clusterId: Demo.Cluster.ledger, password: "ChangedByAdmin1"))
        var codes: [ConnectionErrorCode?] = []
        var failedLogins: [Int] = []
        for _ in 0..<6 {
            let store = try await world.connectAndSettle(Demo.ledger)
            codes.append(store.connectionErrorCode)
            let user = try #require(try await world.cluster(Demo.Cluster.ledger).kmsUser)
            failedLogins.append(user.failedLogins)
            try await world.disconnectAndSettle(Demo.ledger)
        }
        // The first connect and four reconnects are the five wrong logins; the sixth finds the user locked.
        #expect(codes == [.invalidCredentials, .invalidCredentials, .invalidCredentials, .invalidCredentials, .invalidCredentials,
                          .userLockedOut])
        #expect(failedLogins.prefix(5) == [1, 2, 3, 4, 5])
        #expect(try await world.cluster(Demo.Cluster.ledger).kmsUser?.lockedOut == true)

        // The right password no longer helps while the user is locked.
        try await world.service.updateKeyStore(UpdateKeyStoreRequest(customKeyStoreId: Demo.ledger, keyStorePassword: "ChangedByAdmin1"))
        #expect(try await world.connectAndSettle(Demo.ledger).connectionErrorCode == .userLockedOut)
        try await world.disconnectAndSettle(Demo.ledger)

        // Documented fix: give kmsuser a new password in the cluster, update the store, connect.
        try await world.service.apply(.resetKmsUser(clusterId: Demo.Cluster.ledger, password: "Unlocked2025"))
        try await world.service.updateKeyStore(UpdateKeyStoreRequest(customKeyStoreId: Demo.ledger, keyStorePassword: "Unlocked2025"))
        #expect(try await world.connectAndSettle(Demo.ledger).connectionState == .connected)
        #expect(try await world.cluster(Demo.Cluster.ledger).kmsUser?.failedLogins == 0)
    }

    @Test("A successful login resets the count of failed logins")
    func successResetsFailedLogins() async throws {
        let world = try World()
        defer { world.remove() }
        try await world.service.apply(.setKmsUserPassword(clusterId: Demo.Cluster.ledger, password: "ChangedByAdmin1"))
        for _ in 0..<4 {
            #expect(try await world.connectAndSettle(Demo.ledger).connectionErrorCode == .invalidCredentials)
            try await world.disconnectAndSettle(Demo.ledger)
        }
        try await world.service.updateKeyStore(UpdateKeyStoreRequest(customKeyStoreId: Demo.ledger, keyStorePassword: "ChangedByAdmin1"))
        #expect(try await world.connectAndSettle(Demo.ledger).connectionState == .connected)
        #expect(try await world.cluster(Demo.Cluster.ledger).kmsUser?.failedLogins == 0)
    }
}
