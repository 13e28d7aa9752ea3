import AWSBackend
import Foundation
import KeyStoreEngine
import Testing

@Suite("Snapshot differences become the simulator's events")
struct SnapshotDiffTests {
    let a = Fixture.store(1, .disconnected)
    let b = Fixture.store(2, .connected)

    func map(_ stores: CustomKeyStore...) -> [String: CustomKeyStore] {
        Dictionary(uniqueKeysWithValues: stores.map { ($0.id, $0) })
    }

    @Test func proxyConfigurationChangesAreUpdates() {
        let before = Fixture.xksStore(5)
        var after = before
        after.xksProxyConfiguration?.uriPath = "/new/kms/xks/v1"
        after.xksProxyConfiguration?.accessKeyId = "ZYXWVUTSRQPONMLKJIHG"
        #expect(SnapshotDiff.changes(from: map(before), to: [after], complete: true) == [
            .init(keyStoreId: before.id, kind: .keyStoreUpdated(changes: [
                "path /example/kms/xks/v1 → /new/kms/xks/v1", "access key ID ABCDEFGHIJKLMNOPQRST → ZYXWVUTSRQPONMLKJIHG",
            ])),
        ])
        var vpc = before
        vpc.xksProxyConfiguration?.connectivity = .vpcEndpointService
        vpc.xksProxyConfiguration?.vpcEndpointServiceName = "com.amazonaws.vpce.us-east-1.vpce-svc-0a"
        #expect(SnapshotDiff.changes(from: map(before), to: [vpc], complete: true) == [
            .init(keyStoreId: before.id, kind: .keyStoreUpdated(changes: [
                "connectivity PUBLIC_ENDPOINT → VPC_ENDPOINT_SERVICE", "VPC endpoint service - → com.amazonaws.vpce.us-east-1.vpce-svc-0a",
            ])),
        ])
        #expect(SnapshotDiff.changes(from: map(before), to: [before], complete: true).isEmpty)
    }

    @Test func firstLookIsABaseline() {
        #expect(SnapshotDiff.changes(from: nil, to: [a, b], complete: true).isEmpty)
    }

    @Test func unchangedGivesNothing() {
        #expect(SnapshotDiff.changes(from: map(a, b), to: [a, b], complete: true).isEmpty)
    }

    @Test func createdAndDeleted() {
        let c = Fixture.store(3)
        let changes = SnapshotDiff.changes(from: map(a, b), to: [c, a], complete: true)
        #expect(changes == [
            .init(keyStoreId: c.id, kind: .keyStoreCreated(name: c.name)),
            .init(keyStoreId: b.id, kind: .keyStoreDeleted(name: b.name)),
        ])
        #expect(SnapshotDiff.changes(from: map(a, b), to: [a], complete: false).isEmpty, "a partial answer deletes nothing")
    }

    @Test func connectionStatesWithErrorCodes() {
        var connecting = a
        connecting.connectionState = .connecting
        var failed = a
        failed.connectionState = .failed
        failed.connectionErrorCode = .userLockedOut
        #expect(SnapshotDiff.changes(from: map(a), to: [connecting], complete: true)
            == [.init(keyStoreId: a.id, kind: .connectionStateChanged(from: .disconnected, to: .connecting, errorCode: nil))])
        #expect(SnapshotDiff.changes(from: map(connecting), to: [failed], complete: true)
            == [.init(keyStoreId: a.id, kind: .connectionStateChanged(from: .connecting, to: .failed, errorCode: .userLockedOut))])
        var otherCode = failed
        otherCode.connectionErrorCode = .networkErrors
        #expect(SnapshotDiff.changes(from: map(failed), to: [otherCode], complete: true)
            == [.init(keyStoreId: a.id, kind: .connectionStateChanged(from: .failed, to: .failed, errorCode: .networkErrors))])
    }

    @Test func renameAndNewClusterAreOneUpdateBeforeTheStateChange() {
        var after = b
        after.name = "renamed"
        after.cloudHsmClusterId = "cluster-9zzzzzzzzzz"
        after.connectionState = .disconnecting
        #expect(SnapshotDiff.changes(from: map(b), to: [after], complete: true) == [
            .init(keyStoreId: b.id, kind: .keyStoreUpdated(changes: ["name store-2 → renamed", "cluster cluster-2abcdefghij → cluster-9zzzzzzzzzz"])),
            .init(keyStoreId: b.id, kind: .connectionStateChanged(from: .connected, to: .disconnecting, errorCode: nil)),
        ])
    }

    @Test func keys() {
        let k1 = Fixture.key(1, store: b)
        let k2 = Fixture.key(2, store: b, state: .unavailable)
        var k1Unavailable = k1
        k1Unavailable.keyState = .unavailable
        let k3 = Fixture.key(3, store: b)
        let previous = Dictionary(uniqueKeysWithValues: [k1, k2].map { ($0.id, $0) })
        #expect(SnapshotDiff.keyChanges(keyStoreId: b.id, from: nil, to: [k1], complete: true).isEmpty)
        #expect(SnapshotDiff.keyChanges(keyStoreId: b.id, from: previous, to: [k1Unavailable, k3], complete: true) == [
            .init(keyStoreId: b.id, kind: .keyStateChanged(keyId: k1.id, from: .enabled, to: .unavailable)),
            .init(keyStoreId: b.id, kind: .keyCreated(keyId: k3.id)),
            .init(keyStoreId: b.id, kind: .keyDeleted(keyId: k2.id)),
        ])
        #expect(SnapshotDiff.keyChanges(keyStoreId: b.id, from: previous, to: [k1], complete: false).isEmpty)
    }
}
