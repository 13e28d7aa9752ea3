import Foundation

/// KMS's rules for an `XksProxyAuthenticationCredential` and for a URI path prefix, and generated values
/// that follow them.
public enum CredentialRules {
    static let accessKeyAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")

    /// 20 to 30 characters of `A-Z2-7`.
    public static func checkAccessKeyId(_ id: String) throws(XKSProxyError) {
        guard (20...30).contains(id.count), id.allSatisfy({ accessKeyAlphabet.contains($0) }) else {
            throw XKSProxyError("The access key id \"\(id)\" is not one KMS accepts: use 20 to 30 characters of A-Z and 2-7 (or leave it out and cks generates one).")
        }
    }

    /// 43 to 64 characters of `a-zA-Z0-9/+=`.
    public static func checkSecret(_ secret: String) throws(XKSProxyError) {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/+=")
        guard (43...64).contains(secret.count), secret.allSatisfy({ allowed.contains($0) }) else {
            throw XKSProxyError("The secret access key is not one KMS accepts: use 43 to 64 characters of a-z, A-Z, 0-9, /, + and = (e.g. `openssl rand 32 | base64`), or leave it out and cks generates one.")
        }
    }

    /// 20 random characters of `A-Z2-7`.
    public static func generateAccessKeyId() -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<20).map { _ in accessKeyAlphabet.randomElement(using: &generator)! })
    }

    /// 32 random bytes in Base64 (44 characters, 256 bits of entropy as the spec asks).
    public static func generateSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString()
    }

    /// The prefix as stored: `/example/uri/path/prefix`, or empty. A full path ending in `/kms/xks/v1`
    /// is accepted too. The whole `XksProxyUriPath` must be 10 to 128 characters of `A-Za-z0-9/_-`.
    public static func normalizePrefix(_ text: String) throws(XKSProxyError) -> String {
        var prefix = text
        if prefix.hasSuffix("/kms/xks/v1") { prefix.removeLast("/kms/xks/v1".count) }
        while prefix.hasSuffix("/") { prefix.removeLast() }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/_-")
        let uriPath = prefix + "/kms/xks/v1"
        guard prefix.isEmpty || prefix.hasPrefix("/"), prefix.allSatisfy({ allowed.contains($0) }),
              !prefix.contains("//"), uriPath.count <= 128 else {
            throw XKSProxyError("The URI path prefix \"\(text)\" is not one KMS accepts: give /segment/segment of A-Z, a-z, 0-9, /, _ and - (at most 117 characters), e.g. /example/uri/path/prefix; cks adds /kms/xks/v1.")
        }
        return prefix
    }

    /// An external key id: 1 to 128 characters of `A-Za-z0-9-._`.
    public static func isValidKeyId(_ id: String) -> Bool {
        (1...128).contains(id.utf8.count) && id.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
        }
    }
}
