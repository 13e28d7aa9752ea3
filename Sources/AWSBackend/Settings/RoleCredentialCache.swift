import Foundation
import SigV4

/// The aws CLI's cache of assumed-role credentials (AssumeRole and AssumeRoleWithWebIdentity), `~/.aws/cli/cache/<key>.json`, shared with it both ways: an
/// entry the CLI wrote spares an AssumeRole call (and an MFA code), and one cks writes the CLI reads back.
/// The key is botocore's (`BaseAssumeRoleCredentialFetcher._create_cache_key`): the SHA-1 of the AssumeRole
/// arguments as Python's `json.dumps(args, sort_keys=True)` writes them, without a generated session name. An
/// entry counts while it has more than 15 minutes left (`CachedCredentialFetcher`'s expiry window).
struct RoleCredentialCache {
    /// The folder (`~/.aws/cli/cache`).
    var folder: String
    var key: String

    static let expiryWindow: TimeInterval = 15 * 60

    init(folder: String, role: AssumeRoleSettings) {
        self.folder = folder
        key = Self.key(role)
    }

    /// AssumeRoleWithWebIdentity's entry: its key hashes only the role and a configured session name.
    init(folder: String, webIdentity web: WebIdentitySettings) {
        self.folder = folder
        var arguments: [(String, PythonJSON)] = [("RoleArn", .string(web.roleArn))]
        if let name = web.roleSessionName { arguments.append(("RoleSessionName", .string(name))) }
        key = SHA1Hex.of(PythonJSON.object(arguments).text)
    }

    var path: String { folder + "/" + key + ".json" }

    /// botocore's key for the AssumeRole call of `role`.
    static func key(_ role: AssumeRoleSettings) -> String {
        var arguments: [(String, PythonJSON)] = [("RoleArn", .string(role.roleArn))]
        if let name = role.roleSessionName { arguments.append(("RoleSessionName", .string(name))) }
        if let externalId = role.externalId { arguments.append(("ExternalId", .string(externalId))) }
        if let serial = role.mfaSerial { arguments.append(("SerialNumber", .string(serial))) }
        if let duration = role.durationSeconds { arguments.append(("DurationSeconds", .integer(duration))) }
        let json = PythonJSON.object(arguments).text
        // `_make_file_safe`: a hex digest has no `:` or `/` to replace.
        return SHA1Hex.of(json)
    }

    /// The cached credentials, when the entry exists, reads as the CLI's, and has more than 15 minutes left.
    func read(now: Date) -> ExpiringCredentials? {
        guard let data = FileManager.default.contents(atPath: path),
              let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              let credentials = object["Credentials"] as? [String: Any],
              let accessKey = credentials["AccessKeyId"] as? String, let secret = credentials["SecretAccessKey"] as? String,
              let token = credentials["SessionToken"] as? String,
              let expiration = (credentials["Expiration"] as? String).flatMap(AWSTimestamp.parse),
              expiration.timeIntervalSince(now) >= Self.expiryWindow else { return nil }
        let roleArn = (object["AssumedRoleUser"] as? [String: Any])?["Arn"] as? String
        let account = credentials["AccountId"] as? String ?? roleArn.flatMap(Self.account(ofArn:))
        return ExpiringCredentials(credentials: AWSCredentials(accessKeyId: accessKey, secretAccessKey: secret, sessionToken: token),
                                   expiration: expiration, accountId: account)
    }

    /// Writes the entry as the CLI does (a temporary file in the folder, then renamed over the entry); a cache
    /// that cannot be written is skipped, as the credentials themselves are good.
    func write(_ fresh: ExpiringCredentials) {
        guard let expiration = fresh.expiration, let token = fresh.credentials.sessionToken else { return }
        var credentials: [String: Any] = [
            "AccessKeyId": fresh.credentials.accessKeyId, "SecretAccessKey": fresh.credentials.secretAccessKey,
            "SessionToken": token, "Expiration": SingleSignOnFetch.format(expiration),
        ]
        if let account = fresh.accountId { credentials["AccountId"] = account }
        guard let data = try? JSONSerialization.data(withJSONObject: ["Credentials": credentials], options: [.sortedKeys]) else { return }
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                 attributes: [.posixPermissions: 0o700])
        let temporary = folder + "/" + key + ".cks-\(UUID().uuidString.prefix(8)).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600]) else { return }
        if rename(temporary, path) != 0 { try? FileManager.default.removeItem(atPath: temporary) }
    }

    private static func account(ofArn arn: String) -> String? {
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count >= 5 && !parts[4].isEmpty ? String(parts[4]) : nil
    }
}

/// JSON as Python's `json.dumps(value, sort_keys=True)` writes it: `", "` and `": "` as separators, keys sorted
/// by code point, every character outside ASCII escaped as `\uXXXX` (surrogate pairs beyond the BMP).
enum PythonJSON {
    case string(String)
    case integer(Int)
    case object([(String, PythonJSON)])

    var text: String {
        switch self {
        case let .string(value): Self.quoted(value)
        case let .integer(value): String(value)
        case let .object(members):
            "{" + members.sorted { Array($0.0.unicodeScalars.map(\.value)).lexicographicallyPrecedes($1.0.unicodeScalars.map(\.value)) }
                .map { Self.quoted($0.0) + ": " + $0.1.text }.joined(separator: ", ") + "}"
        }
    }

    private static func quoted(_ value: String) -> String {
        var result = "\""
        for unit in value.utf16 {
            switch unit {
            case 0x22: result += "\\\""
            case 0x5C: result += "\\\\"
            case 0x0A: result += "\\n"
            case 0x0D: result += "\\r"
            case 0x09: result += "\\t"
            case 0x08: result += "\\b"
            case 0x0C: result += "\\f"
            case 0x20..<0x7F: result.unicodeScalars.append(Unicode.Scalar(UInt8(unit)))
            default: result += String(format: "\\u%04x", unit)
            }
        }
        return result + "\""
    }
}
