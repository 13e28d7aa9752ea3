import Foundation
import GRDB

extension WorldTransaction {
    /// The ID the next restore of `source` gives its new cluster. It follows from the backup lineage and the
    /// number of clusters in it, so a fix can name the restored cluster before the restore makes it.
    func nextRestoredClusterId(of source: ClusterRecord) throws -> String {
        var attempt = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM clusters WHERE lineage = ?", arguments: [source.lineage]) ?? 0
        while true {
            var ids = StableIdentifiers(seed: "restore/\(source.lineage)/\(attempt)")
            let id = "cluster-" + ids.base32(11)
            if try cluster(id: id) == nil { return id }
            attempt += 1
        }
    }
}
