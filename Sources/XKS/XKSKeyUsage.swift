import Foundation

/// What an external key may be used for, as GetKeyMetadata lists it.
public enum XKSKeyUsage: String, Codable, Sendable, Hashable, CaseIterable, Comparable {
    case encrypt = "ENCRYPT"
    case decrypt = "DECRYPT"
    case sign = "SIGN"
    case verify = "VERIFY"
    case wrap = "WRAP"
    case unwrap = "UNWRAP"

    public static func < (lhs: XKSKeyUsage, rhs: XKSKeyUsage) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// Parses `ENCRYPT,DECRYPT` (any case, spaces allowed); an empty text is no usage at all.
    public static func parseList(_ text: String) -> Result<[XKSKeyUsage], XKSUsageListError> {
        var usages: [XKSKeyUsage] = []
        for part in text.split(separator: ",") {
            let name = part.trimmingCharacters(in: .whitespaces).uppercased()
            if name.isEmpty || name == "NONE" { continue }
            guard let usage = XKSKeyUsage(rawValue: name) else { return .failure(XKSUsageListError(word: String(part))) }
            if !usages.contains(usage) { usages.append(usage) }
        }
        return .success(usages.sorted())
    }
}

/// A word in a usage list that is not a key usage.
public struct XKSUsageListError: Error, Sendable, CustomStringConvertible {
    public var word: String

    public var description: String {
        "\"\(word)\" is not a key usage: use a comma-separated list of \(XKSKeyUsage.allCases.map(\.rawValue).joined(separator: ", ")), or NONE."
    }
}
