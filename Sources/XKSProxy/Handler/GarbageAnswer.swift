import Foundation

/// The answers of the garbage fault: what a client gets from a misbehaving proxy or load balancer.
enum GarbageAnswer {
    static func make(_ kind: ProxyFaults.Garbage, from answer: [UInt8]) -> ProxyResponse {
        switch kind {
        case .nonJSON:
            let page = "<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>\n"
            return ProxyResponse(status: 200, headers: [("Content-Type", "text/html")], body: Array(page.utf8))
        case .missingFields:
            return ProxyResponse(status: 200, headers: [("Content-Type", "application/json")], body: withoutFields(answer))
        }
    }

    /// The answer with every other field (in name order) left out, starting with the first: a one-field
    /// answer becomes `{}`.
    static func withoutFields(_ answer: [UInt8]) -> [UInt8] {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(answer))) as? [String: Any] else { return Array("{}".utf8) }
        var kept: [String: Any] = [:]
        for (index, name) in object.keys.sorted().enumerated() where index % 2 == 1 {
            kept[name] = object[name]
        }
        return (try? JSONSerialization.data(withJSONObject: kept, options: [.sortedKeys])).map(Array.init) ?? Array("{}".utf8)
    }
}
