import Foundation
import KeyStoreEngine

/// CloudHSMv2 DescribeClusters: the backend's clusters, filtered (`clusterIds`, `vpcIds`, `states`) and paged
/// (`MaxResults`, `NextToken`) as `aws cloudhsmv2 describe-clusters` and botocore's paginator expect.
struct ClusterOperations<Service: KMSEndpointService>: Sendable {
    let context: OperationContext<Service>

    static var filterNames: [String] { ["clusterIds", "vpcIds", "states"] }

    func describe(_ fields: inout RequestFields) async throws(ServiceError) -> JSONValue {
        let filters = try fields.stringListMap("Filters", maxCount: 30) ?? [:]
        let token = try fields.string("NextToken", length: 0...256)
        let maxResults = try fields.integer("MaxResults", range: 1...25)
        try fields.validate()
        if let unknown = filters.keys.sorted().first(where: { !Self.filterNames.contains($0) }) {
            throw Self.invalidRequest("Filter \(unknown) is not valid. Use clusterIds, vpcIds or states.")
        }

        var clusters = try await context.call { () async throws(KMSError) in try await context.service.clusters() }
        if let ids = filters["clusterIds"] { clusters = clusters.filter { ids.contains($0.id) } }
        if let vpcs = filters["vpcIds"] { clusters = clusters.filter { vpcs.contains($0.vpcId) } }
        if let states = filters["states"] { clusters = clusters.filter { states.contains($0.state.rawValue) } }

        if let token {
            guard let after = Self.clusterId(inToken: token), let index = clusters.firstIndex(where: { $0.id == after }) else {
                throw Self.invalidRequest("The NextToken is not one this service returned. Start again without NextToken.")
            }
            clusters = Array(clusters[(index + 1)...])
        }
        var answer: [(String, JSONValue)] = []
        if let maxResults, clusters.count > maxResults {
            let page = clusters.prefix(maxResults)
            answer.append(("Clusters", .array(page.map(\.apiJSON))))
            if let last = page.last { answer.append(("NextToken", .string(Self.token(after: last.id)))) }
        } else {
            answer.append(("Clusters", .array(clusters.map(\.apiJSON))))
        }
        return .object(answer)
    }

    private static func token(after clusterId: String) -> String {
        Data("v1|\(clusterId)".utf8).base64EncodedString()
    }

    private static func clusterId(inToken token: String) -> String? {
        guard let data = Data(base64Encoded: token), let text = String(data: data, encoding: .utf8), text.hasPrefix("v1|") else {
            return nil
        }
        return String(text.dropFirst(3))
    }

    private static func invalidRequest(_ message: String) -> ServiceError {
        ServiceError(type: KMSError.Code.cloudHsmInvalidRequest.rawValue, message: message)
    }
}
