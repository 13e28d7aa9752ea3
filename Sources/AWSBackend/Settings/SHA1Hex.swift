import Crypto

/// The SHA-1 of a text as lower-case hex: how `aws sso login` names its token cache files.
enum SHA1Hex {
    static func of(_ text: String) -> String {
        Insecure.SHA1.hash(data: Array(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
