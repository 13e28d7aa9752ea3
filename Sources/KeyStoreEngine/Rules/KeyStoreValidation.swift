/// The field rules of the KMS API model (spec section 1.2), shared by every backend and the server.
public enum KeyStoreValidation {
    public static let maxKeyStores = 10
    public static let maxDescribeLimit = 1000

    public static func validateName(_ name: String, field: String = "CustomKeyStoreName") throws(KMSError) {
        guard (1...256).contains(name.count) else {
            throw KMSError(.validation, "1 validation error detected: Value at '\(lowerFirst(field))' failed to satisfy constraint: Member must have length between 1 and 256 (it has \(name.count) characters).")
        }
    }

    public static func validatePassword(_ password: String) throws(KMSError) {
        guard (7...32).contains(password.count) else {
            throw KMSError(.validation, "1 validation error detected: Value at 'keyStorePassword' failed to satisfy constraint: Member must have length between 7 and 32. Use the current password of kmsuser (7 to 32 characters).")
        }
    }

    public static func validateClusterId(_ id: String) throws(KMSError) {
        let body = id.dropFirst("cluster-".count)
        let allowed = body.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("2"..."7").contains($0) }
        guard (19...24).contains(id.count), id.hasPrefix("cluster-"), (11...16).contains(body.count), allowed else {
            throw KMSError(.validation, "1 validation error detected: Value '\(id)' at 'cloudHsmClusterId' failed to satisfy constraint: Member must satisfy regular expression pattern: cluster-[2-7a-zA-Z]{11,16}. Find the cluster ID with `cks sim clusters` or `aws cloudhsmv2 describe-clusters`.")
        }
    }

    public static func validateTrustAnchor(_ pem: String) throws(KMSError) {
        guard (1...5000).contains(pem.count) else {
            throw KMSError(.validation, "1 validation error detected: Value at 'trustAnchorCertificate' failed to satisfy constraint: Member must have length between 1 and 5000. Give the PEM of the cluster's customerCA.crt.")
        }
    }

    public static func validateKeyStoreId(_ id: String, field: String = "customKeyStoreId") throws(KMSError) {
        guard (1...64).contains(id.count) else {
            throw KMSError(.validation, "1 validation error detected: Value at '\(field)' failed to satisfy constraint: Member must have length between 1 and 64.")
        }
    }

    public static func validateLimit(_ limit: Int) throws(KMSError) {
        guard (1...maxDescribeLimit).contains(limit) else {
            throw KMSError(.validation, "1 validation error detected: Value '\(limit)' at 'limit' failed to satisfy constraint: Member must have value between 1 and 1000.")
        }
    }

    public static func validateMarker(_ marker: String) throws(KMSError) {
        let ok = (1...1024).contains(marker.count) && marker.unicodeScalars.allSatisfy { (0x20...0xFF).contains($0.value) }
        guard ok else {
            throw KMSError(.validation, "1 validation error detected: Value at 'marker' failed to satisfy constraint: Member must have length between 1 and 1024 and match [\\u0020-\\u00FF]*.")
        }
    }

    private static func lowerFirst(_ s: String) -> String { s.prefix(1).lowercased() + s.dropFirst() }
}
