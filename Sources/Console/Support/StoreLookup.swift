import Foundation
import KeyStoreEngine

/// Finds the store a person means by a name, an ID, or the start of either.
enum StoreLookup {
    static func find(_ query: String, in stores: some Collection<CustomKeyStore>) -> Result<CustomKeyStore, LookupError> {
        let query = query.trimmingCharacters(in: .whitespaces)
        if let exact = stores.first(where: { $0.id == query || $0.name == query }) { return .success(exact) }
        let lower = query.lowercased()
        if let exact = stores.first(where: { $0.name.lowercased() == lower }) { return .success(exact) }
        let prefixed = stores.filter { $0.name.lowercased().hasPrefix(lower) || $0.id.hasPrefix(lower) }
        if prefixed.count == 1 { return .success(prefixed[0]) }
        if prefixed.isEmpty { return .failure(LookupError(message: "No key store is named \(query).")) }
        let names = prefixed.map(\.name).sorted().prefix(4).joined(separator: ", ")
        return .failure(LookupError(message: "\(query) matches several stores: \(names). Type more of the name."))
    }

    /// Why a lookup found no single store.
    struct LookupError: Error, Equatable {
        var message: String
    }
}
