import Foundation

/// The Region picker (`R`): the backend's Regions, narrowed by what is typed, one of them highlighted.
public struct RegionPicker: Sendable, Equatable {
    public var filter = ""
    /// The Region under the cursor, kept by name so that typing does not move it to another Region.
    public var highlighted: String?

    /// Rows PgUp and PgDn move by.
    static let pageSize = 10

    public init(filter: String = "", highlighted: String? = nil) {
        self.filter = filter
        self.highlighted = highlighted
    }

    /// The Regions whose code or name contains the filter, in the order given.
    func matches(_ choices: [String]) -> [String] {
        let needle = filter.lowercased().trimmingCharacters(in: .whitespaces)
        guard !needle.isEmpty else { return choices }
        return choices.filter { region in
            region.lowercased().contains(needle) || (RegionNames.name(of: region)?.lowercased().contains(needle) ?? false)
        }
    }

    /// The index of the highlighted Region among the matches (the first match when it is not one of them).
    func cursor(in matches: [String]) -> Int? {
        guard !matches.isEmpty else { return nil }
        return highlighted.flatMap { matches.firstIndex(of: $0) } ?? 0
    }
}
