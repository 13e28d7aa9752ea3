import KeyStoreEngine

/// The Regions `--region all` asks: every commercial Region (the `aws` partition of botocore 1.43.11's
/// endpoints.json) except those the KMS developer guide lists as without custom key stores (spec section 7).
public enum KeyStoreRegions {
    public static var commercial: [String] { AWSRegions.commercial }

    /// Regions without custom key stores (the 2023 developer guide; cn-* are outside the commercial partition).
    public static let withoutCustomKeyStores: Set<String> = [
        "ap-south-2", "cn-north-1", "cn-northwest-1", "eu-south-2", "eu-central-2", "me-central-1",
    ]

    /// The Regions of `--region all`.
    public static var all: [String] { commercial.filter { !withoutCustomKeyStores.contains($0) } }

    /// `us-east-1,eu-west-1` or `all` → Regions, in the order given, without repeats; nil when empty.
    public static func parse(_ text: String) -> [String]? {
        if text.trimmingWhitespace.lowercased() == "all" { return all }
        var seen: Set<String> = []
        let regions = text.split(separator: ",").map { $0.trimmingWhitespace }.filter { !$0.isEmpty && seen.insert($0).inserted }
        return regions.isEmpty ? nil : regions
    }
}
