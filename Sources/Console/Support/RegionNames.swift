import KeyStoreEngine

/// Region names for the picker: what AWS calls a Region, and whether typed text can be one.
enum RegionNames {
    static func name(of region: String) -> String? { AWSRegions.name(of: region) }

    /// True when a name is shaped like a Region code (`eu-west-1`, `us-gov-west-1`), known here or not: ASCII
    /// lowercase words and a number, joined by hyphens (no other letters or digits, since it becomes a host name).
    static func looksLikeRegion(_ text: String) -> Bool {
        let parts = text.utf8.split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false)
        guard parts.count >= 3, let last = parts.last, !last.isEmpty,
              last.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return false }
        return parts.dropLast().allSatisfy { !$0.isEmpty && $0.allSatisfy { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) } }
    }
}
