import Foundation
@testable import Console
import KeyStoreEngine
import Testing

/// One HSM count for the table, the detail and `cks list`, and a warning on a row whose cluster cannot serve it
/// (issue 15, item 8: `cks sim delete-cluster` on a CONNECTED store).
@Suite("Cluster warnings in the store list")
struct ClusterWarningTests {
    /// The fixtures' clusters with prod-payments' cluster deleted, as the simulator's fault leaves it.
    var clustersAfterDelete: [CloudHSMCluster] {
        Fixtures.clusters.map { cluster in
            guard cluster.id == "cluster-prod2a3b4c5d" else { return cluster }
            var deleted = cluster
            deleted.state = .deleted
            deleted.hsms = deleted.hsms.map { var hsm = $0; hsm.state = .deleted; return hsm }
            return deleted
        }
    }

    @Test func theHSMCountIsTheActiveHSMsEverywhere() {
        var driver = Driver()
        driver.send(.clustersLoaded(clustersAfterDelete))
        let store = driver.state.stores[Fixtures.prodId]!
        #expect(driver.state.hsmCount(of: store) == 0)
        let cluster = clustersAfterDelete.first { $0.id == store.cloudHsmClusterId }!
        #expect(driver.state.hsmCount(of: store) == cluster.activeHSMs.count, "the count cks list prints")
        let frame = driver.frame()
        let row = frame.line(frame.row(containing: "prod-payments")!)
        #expect(row.contains("     0  ● CONNECTED  ! cluster DELETED"), "\(frame.text)")
        driver.select("prod-payments")
        driver.press(.enter)
        let detail = DetailDocument(state: driver.state, width: 120).lines.map(\.plainText).joined(separator: "\n")
        #expect(detail.contains("0 of 2 HSMs active"), "\(detail)")
    }

    @Test func theWarningGoesWhenTheClusterIsBackAndHasItsWidth() {
        var driver = Driver(Fixtures.loadedState(size: Size(width: 80, height: 24)))
        driver.send(.clustersLoaded(clustersAfterDelete))
        var frame = driver.frame()
        #expect(frame.text.contains("● CONNECTED  ! cluster DELETED"), "the state column widens for it:\n\(frame.text)")
        driver.send(.clustersLoaded(Fixtures.clusters))
        frame = driver.frame()
        #expect(!frame.text.contains("cluster DELETED"))
        #expect(frame.line(frame.row(containing: "prod-payments")!).contains("● CONNECTED"))
    }

    @Test func noActiveHSMAndAMissingClusterWarnToo() {
        var driver = Driver()
        var clusters = Fixtures.clusters.filter { $0.id != "cluster-anal2b3c4d5e" }
        let index = clusters.firstIndex { $0.id == "cluster-prod2a3b4c5d" }!
        clusters[index].hsms = []
        driver.send(.clustersLoaded(clusters))
        let text = driver.frame().text
        #expect(text.contains("● CONNECTED  ! no ACTIVE HSM"), "\(text)")
        #expect(text.contains("○ DISCONNECTED  ! cluster not found"), "\(text)")
        #expect(!text.contains("USER_LOCKED_OUT  !"), "a FAILED store has its code; no second warning")
    }
}
