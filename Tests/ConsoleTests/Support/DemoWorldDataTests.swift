import CKSTestSupport
@testable import Console
import Foundation
import Testing

/// The demo world a newcomer first sees tells a possible story (issue 15, item 13): every trust anchor was valid
/// before its cluster (and so every store) was created, keys are younger than their store, and a store that is not
/// CONNECTED has no key used since it left CONNECTED.
@Suite("The demo world's data")
struct DemoWorldDataTests {
    struct World: Decodable {
        struct Cluster: Decodable { var id: String; var lineage: String; var createdDaysAgo: Double }
        struct Store: Decodable {
            struct Key: Decodable {
                struct Use: Decodable { var operation: String; var minutesAgo: Double }
                var description: String
                var createdDaysAgo: Double
                var usage: [Use]
            }
            var name: String
            var state: String
            var createdDaysAgo: Double
            var lastChangeMinutesAgo: Double
            var keys: [Key]
        }
        var trustAnchors: [String: String]
        var clusters: [Cluster]
        var keyStores: [Store]
    }

    func world() throws -> World {
        let file = Executables.packageRoot.appending(path: "assets/demo-world.json")
        return try JSONDecoder().decode(World.self, from: Data(contentsOf: file))
    }

    @Test func trustAnchorsAreValidFromBeforeTheirClusters() throws {
        let world = try world()
        let now = Date()
        for cluster in world.clusters {
            let pem = try #require(world.trustAnchors[cluster.lineage])
            let certificate = try CertificateSummary(pem: pem)
            let created = now.addingTimeInterval(-cluster.createdDaysAgo * 86_400)
            #expect(certificate.notBefore < created, "\(cluster.id)'s trust anchor is valid from \(certificate.notBefore), after its creation")
            #expect(certificate.notAfter > now.addingTimeInterval(365 * 86_400), "\(cluster.id)'s trust anchor stays valid")
        }
    }

    @Test func keysAreUsedOnlyWhileTheirStoreCouldUseThem() throws {
        for store in try world().keyStores {
            for key in store.keys {
                #expect(key.createdDaysAgo < store.createdDaysAgo, "\(key.description) is older than \(store.name)")
                for use in key.usage {
                    #expect(use.minutesAgo < key.createdDaysAgo * 1440, "\(key.description) used before it existed")
                    if store.state != "CONNECTED" {
                        #expect(use.minutesAgo >= store.lastChangeMinutesAgo,
                                "\(key.description) was used \(use.minutesAgo) min ago, after \(store.name) left CONNECTED")
                    }
                }
            }
        }
    }
}
