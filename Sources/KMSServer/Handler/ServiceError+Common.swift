import KeyStoreEngine

/// The refusals several operations share.
extension ServiceError {
    static func unsupported(_ message: String) -> ServiceError {
        ServiceError(type: KMSError.Code.unsupportedOperation.rawValue, message: message)
    }

    static func validation(_ message: String) -> ServiceError {
        ServiceError(type: KMSError.Code.validation.rawValue, message: message)
    }
}

extension ServiceError {
    /// The answer to a `Recipient` (Nitro Enclaves attestation), which cks serve does not simulate.
    static let recipientUnsupported = unsupported("cks serve does not simulate Nitro Enclaves attestation: leave Recipient out.")
}
