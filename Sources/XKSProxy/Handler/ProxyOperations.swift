import Foundation
import XKS

/// The four operations on one logical key store: decode and check the request, ask the key manager,
/// encode the answer.
struct ProxyOperations {
    let snapshot: ProxySnapshot
    let route: ProxyRoute

    /// Base64 limits (the reference proxy's): plaintext and ciphertext, and additional authenticated data.
    static let maxPlaintextBase64 = 8192
    static let maxAADBase64 = 16384

    func answer(_ body: [UInt8], record: inout RequestRecord) throws(XKSError) -> [UInt8] {
        switch route.operation {
        case .getHealthStatus:
            let request = try decode(XKSHealthRequest.self, body)
            try checkMetadata(request.requestMetadata, record: &record, needs: [])
            return try encode(health())
        case .getKeyMetadata:
            let request = try decode(XKSKeyMetadataRequest.self, body)
            try checkMetadata(request.requestMetadata, record: &record, needs: [("awsPrincipalArn", \.awsPrincipalArn)])
            let key = try usableKey()
            return try encode(XKSKeyMetadataResponse(keySpec: XKSAlgorithm.aes256, keyUsage: key.usages.map(\.rawValue), keyStatus: key.status))
        case .encrypt:
            let request = try decode(XKSEncryptRequest.self, body)
            try checkMetadata(request.requestMetadata, record: &record, needs: Self.cryptoMetadata)
            return try encode(encrypt(request))
        case .decrypt:
            let request = try decode(XKSDecryptRequest.self, body)
            try checkMetadata(request.requestMetadata, record: &record, needs: Self.cryptoMetadata)
            return try encode(decrypt(request))
        }
    }

    static var cryptoMetadata: [(String, KeyPath<XKSRequestMetadata, String?>)] {
        [("awsPrincipalArn", \.awsPrincipalArn), ("kmsKeyArn", \.kmsKeyArn)] }

    private func health() -> XKSHealthResponse {
        XKSHealthResponse(
            xksProxyFleetSize: 1, xksProxyVendor: XKSProxyEngine.vendor, xksProxyModel: XKSProxyEngine.model,
            ekmVendor: XKSProxyEngine.vendor, ekmFleetDetails: snapshot.keyManagerHealth)
    }

    private func encrypt(_ request: XKSEncryptRequest) throws(XKSError) -> XKSEncryptResponse {
        let key = try usableKey()
        guard key.enabled else { throw Self.disabled(key) }
        guard key.usages.contains(.encrypt) else { throw Self.lacking(.encrypt, key) }
        try checkAlgorithm(request.encryptionAlgorithm)
        let plaintext = try XKSBase64.require(request.plaintext, field: "plaintext", maxCharacters: Self.maxPlaintextBase64)
        let aad = try XKSBase64.decode(request.additionalAuthenticatedData, field: "additionalAuthenticatedData",
                                       maxCharacters: Self.maxAADBase64) ?? []
        let wantsIntegrity = try integrityRequested(request.ciphertextDataIntegrityValueAlgorithm)
        let sealed = try KeyManagerCipher.encrypt(plaintext, aad: aad, key: key.material)
        let integrity = wantsIntegrity
            ? XKSBase64.encode(XKSIntegrity.dataIntegrityValue(aad: aad, metadata: sealed.metadata, iv: sealed.iv,
                                                                ciphertext: sealed.ciphertext, tag: sealed.tag))
            : nil
        return XKSEncryptResponse(
            ciphertext: XKSBase64.encode(sealed.ciphertext), initializationVector: XKSBase64.encode(sealed.iv),
            authenticationTag: XKSBase64.encode(sealed.tag), ciphertextMetadata: XKSBase64.encode(sealed.metadata),
            ciphertextDataIntegrityValue: integrity)
    }

    private func decrypt(_ request: XKSDecryptRequest) throws(XKSError) -> XKSDecryptResponse {
        let key = try usableKey()
        guard key.enabled else { throw Self.disabled(key) }
        guard key.usages.contains(.decrypt) else { throw Self.lacking(.decrypt, key) }
        try checkAlgorithm(request.encryptionAlgorithm)
        let ciphertext = try XKSBase64.require(request.ciphertext, field: "ciphertext", maxCharacters: Self.maxPlaintextBase64)
        let iv = try XKSBase64.require(request.initializationVector, field: "initializationVector", maxCharacters: 64)
        let tag = try XKSBase64.require(request.authenticationTag, field: "authenticationTag", maxCharacters: 64)
        let metadata = try XKSBase64.decode(request.ciphertextMetadata, field: "ciphertextMetadata", maxCharacters: 64) ?? []
        let aad = try XKSBase64.decode(request.additionalAuthenticatedData, field: "additionalAuthenticatedData",
                                       maxCharacters: Self.maxAADBase64) ?? []
        guard metadata.count <= XKSIntegrity.maxMetadataBytes else {
            throw XKSError(.validation, "ciphertextMetadata is \(metadata.count) bytes; at most \(XKSIntegrity.maxMetadataBytes) are allowed.")
        }
        guard iv.count == 12 || iv.count == 16 else {
            throw XKSError(.invalidCiphertext, "initializationVector is \(iv.count) bytes; AES-GCM here uses 12 (or 16).")
        }
        guard tag.count == 16 else {
            throw XKSError(.invalidCiphertext, "authenticationTag is \(tag.count) bytes; it must be 16.")
        }
        let plaintext = try KeyManagerCipher.decrypt(ciphertext: ciphertext, iv: iv, tag: tag, metadata: metadata,
                                                     aad: aad, key: key.material)
        return XKSDecryptResponse(plaintext: XKSBase64.encode(plaintext))
    }

    /// The routed key, when the key manager can be reached.
    private func usableKey() throws(XKSError) -> ExternalKey {
        let instances = snapshot.keyManagerHealth
        if instances.allSatisfy({ $0.healthStatus == .unavailable }) {
            throw XKSError(.internal, "The proxy cannot reach the external key manager: every instance is UNAVAILABLE.")
        }
        guard let id = route.keyId, let key = snapshot.keys[route.prefix]?[id] else {
            throw XKSError(.keyNotFound, "The external key manager has no key \(route.keyId ?? "") in this logical key store.")
        }
        return key
    }

    private func checkAlgorithm(_ algorithm: String?) throws(XKSError) {
        guard let algorithm else { throw XKSError(.validation, "encryptionAlgorithm is required.") }
        guard algorithm == XKSAlgorithm.aesGCM else {
            throw XKSError(.validation, "encryptionAlgorithm \(XKSProxyEngine.printable(algorithm, limit: 40)) is not supported; use AES_GCM.")
        }
    }

    private func integrityRequested(_ algorithm: String?) throws(XKSError) -> Bool {
        guard let algorithm else { return false }
        guard algorithm == XKSAlgorithm.sha256 else {
            throw XKSError(.validation, "ciphertextDataIntegrityValueAlgorithm \(XKSProxyEngine.printable(algorithm, limit: 40)) is not supported; use SHA_256.")
        }
        return true
    }

    private static func disabled(_ key: ExternalKey) -> XKSError {
        XKSError(.invalidState, "The key \(key.id) is disabled in the external key manager.")
    }

    private static func lacking(_ usage: XKSKeyUsage, _ key: ExternalKey) -> XKSError {
        let usages = key.usages.isEmpty ? "no usage" : key.usages.map(\.rawValue).joined(separator: ", ")
        return XKSError(.invalidKeyUsage, "The key \(key.id) does not allow \(usage.rawValue) (its usages: \(usages)).")
    }

    private func checkMetadata(
        _ metadata: XKSRequestMetadata?, record: inout RequestRecord,
        needs: [(String, KeyPath<XKSRequestMetadata, String?>)]
    ) throws(XKSError) {
        guard let metadata else { throw XKSError(.validation, "requestMetadata is required.") }
        record.kmsRequestId = metadata.kmsRequestId
        record.kmsOperation = metadata.kmsOperation
        let required = [("kmsRequestId", \XKSRequestMetadata.kmsRequestId), ("kmsOperation", \.kmsOperation)] + needs
        let missing = required.filter { (metadata[keyPath: $0.1] ?? "").isEmpty }
        guard missing.isEmpty else {
            throw XKSError(.validation, "requestMetadata must have \(missing.map(\.0).joined(separator: ", ")).")
        }
    }

    private func decode<T: Decodable>(_ type: T.Type, _ body: [UInt8]) throws(XKSError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(body))
        } catch {
            throw XKSError(.validation, "The request body is not the JSON object this operation takes.")
        }
    }

    private func encode<T: Encodable>(_ value: T) throws(XKSError) -> [UInt8] {
        do {
            return Array(try XKSJSON.encoder.encode(value))
        } catch {
            throw XKSError(.internal, "The answer could not be encoded.")
        }
    }
}
