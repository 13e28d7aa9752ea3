import KeyStoreEngine

/// The refusals several operations share.
extension ServiceError {
    static func unsupported(_ message: String) -> ServiceError {
        ServiceError(type: KMSError.Code.unsupportedOperation.rawValue, message: message)
    }

    static func validation(_ message: String) -> ServiceError {
        ServiceError(type: KMSError.Code.validation.rawValue, message: message)
    }

    /// The answer to anything about external key stores, which the simulator does not model.
    static let externalKeyStores = unsupported(
        "cks serve simulates AWS CloudHSM key stores only; external key stores (EXTERNAL_KEY_STORE, XKS) are not supported. Use CustomKeyStoreType AWS_CLOUDHSM.")
}

extension ServiceError {
    /// The answer to a `Recipient` (Nitro Enclaves attestation), which cks serve does not simulate.
    static let recipientUnsupported = unsupported("cks serve does not simulate Nitro Enclaves attestation: leave Recipient out.")
}
