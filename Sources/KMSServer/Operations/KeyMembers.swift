import KeyStoreEngine

/// The members the key and cryptographic operations read alike, and the values the API model allows for them.
enum KeyMembers {
    static let keySpecs = [
        "RSA_2048", "RSA_3072", "RSA_4096", "ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521", "ECC_SECG_P256K1",
        "SYMMETRIC_DEFAULT", "HMAC_224", "HMAC_256", "HMAC_384", "HMAC_512", "SM2", "ML_DSA_44", "ML_DSA_65", "ML_DSA_87",
        "ECC_NIST_EDWARDS25519",
    ]
    static let customerMasterKeySpecs = [
        "RSA_2048", "RSA_3072", "RSA_4096", "ECC_NIST_P256", "ECC_NIST_P384", "ECC_NIST_P521", "ECC_SECG_P256K1",
        "SYMMETRIC_DEFAULT", "HMAC_224", "HMAC_256", "HMAC_384", "HMAC_512", "SM2",
    ]

    static let encryptionAlgorithms = ["SYMMETRIC_DEFAULT", "RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256", "SM2PKE"]

    /// `KeyId`: required, 1 to 2048 characters (a key ID or ARN; aliases name no key here).
    static func keyId(_ fields: inout RequestFields) throws(ServiceError) -> String? {
        try fields.string("KeyId", required: true, length: 1...2048)
    }

    static func requiredKeyId(_ fields: inout RequestFields) throws(ServiceError) -> String {
        let keyId = try keyId(&fields)
        try fields.validate()
        return keyId ?? ""
    }
}
