import Foundation

/// Makes identifiers in the shapes AWS uses (spec section 8.7).
enum Identifier {
    static func keyStore() -> String { "cks-" + hex(17) }
    static func cluster() -> String { "cluster-" + base32Lower(11) }
    static func hsm() -> String { "hsm-" + base32Lower(11) }
    static func securityGroup() -> String { "sg-" + hex(17) }
    static func networkInterface() -> String { "eni-" + hex(17) }
    static func subnet() -> String { "subnet-" + hex(17) }
    static func vpc() -> String { "vpc-" + hex(17) }
    static func backup() -> String { "backup-" + base32Lower(11) }
    static func key() -> String { UUID().uuidString.lowercased() }
    static func vpcEndpoint() -> String { "vpce-" + hex(17) }
    /// A Route 53 hosted zone ID: `Z` and 20 upper-case letters and digits.
    static func hostedZone() -> String {
        "Z" + String((0..<20).map { _ in "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".randomElement()! })
    }

    /// `AKIA` + 16 characters, the shape of an AWS access key ID.
    static func accessKeyId() -> String {
        "AKIA" + String((0..<16).map { _ in "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".randomElement()! })
    }

    static func secretAccessKey() -> String {
        String((0..<40).map { _ in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".randomElement()! })
    }

    static func password() -> String {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789")
        return String((0..<32).map { _ in alphabet.randomElement()! })
    }

    private static func hex(_ count: Int) -> String {
        String((0..<count).map { _ in "0123456789abcdef".randomElement()! })
    }

    private static func base32Lower(_ count: Int) -> String {
        String((0..<count).map { _ in "abcdefghijklmnopqrstuvwxyz234567".randomElement()! })
    }
}
