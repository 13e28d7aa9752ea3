/// The Regions `--region all` asks: every commercial Region (the `aws` partition of botocore 1.43.11's
/// endpoints.json) except those the KMS developer guide lists as without custom key stores (spec section 7).
public enum KeyStoreRegions {
    public static let commercial: [String] = [
        "af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
        "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
        "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ca-central-1", "ca-west-1",
        "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2",
        "eu-west-1", "eu-west-2", "eu-west-3", "il-central-1", "me-central-1", "me-south-1", "mx-central-1",
        "sa-east-1", "us-east-1", "us-east-2", "us-west-1", "us-west-2",
    ]

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
