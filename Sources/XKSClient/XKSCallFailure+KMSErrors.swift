import KeyStoreEngine
import XKS

/// What KMS answers its own callers when a proxy call fails: the exception depends on the operation
/// (CreateCustomKeyStore/UpdateCustomKeyStore, CreateKey, or a cryptographic operation), the message on
/// the cause (the XKS spec's "KMS considerations" and the developer guide's troubleshooting page).
extension XKSCallFailure {
    /// CreateCustomKeyStore and UpdateCustomKeyStore (the GetHealthStatus they send first).
    public func keyStoreError() -> KMSError {
        let code: KMSError.Code = switch cause {
        case .noConnection, .tls, .timedOut, .keyManagersUnavailable, .proxy(.throttling), .proxy(.dependencyTimeout):
            .xksProxyUriUnreachable
        case .proxy(.authenticationFailed): .xksProxyIncorrectAuthenticationCredential
        // Decision (spec 9.3, 3.3): a 403 is XKS_PROXY_ACCESS_DENIED at Connect, but Create/Update have no access-denied exception; a proxy whose authorization rules cover GetHealthStatus (which MUST be exempt) is misconfigured, so XksProxyInvalidConfigurationException, with KMS's access-denied message naming the cause.
        case .proxy(.invalidUriPath), .proxy(.accessDenied): .xksProxyInvalidConfiguration
        default: .xksProxyInvalidResponse
        }
        return KMSError(code, message)
    }

    /// CreateKey (the GetKeyMetadata it sends): the key's own problems are Xks* exceptions, anything else is
    /// CustomKeyStoreInvalidStateException with the same message a cryptographic operation gets.
    public func createKeyError() -> KMSError {
        switch cause {
        case .proxy(.keyNotFound): KMSError(.xksKeyNotFound, message)
        case .proxy(.invalidState), .proxy(.invalidKeyUsage): KMSError(.xksKeyInvalidConfiguration, message)
        default: KMSError(.customKeyStoreInvalidState, message)
        }
    }

    /// Encrypt, Decrypt, GenerateDataKey*, ReEncrypt: always KMSInvalidStateException; the message says why.
    public func cryptoError() -> KMSError {
        KMSError(.kmsInvalidState, message)
    }

    /// KMS's message for the cause.
    public var message: String {
        switch cause {
        case .noConnection: XKSMessages.notReachable
        case .tls: XKSMessages.tls
        case .timedOut: XKSMessages.timedOut
        case .keyManagersUnavailable: XKSMessages.unhealthy
        case .invalidResponse: XKSMessages.invalidResponse
        case let .proxy(name): XKSMessages.proxy(name)
        }
    }
}

/// KMS's error messages for failed proxy calls, as the developer guide's "Troubleshooting external key
/// stores" page quotes them.
public enum XKSMessages {
    public static let notReachable = "AWS KMS cannot communicate with the external key store proxy. This might be a transient network issue. If you see this error repeatedly, verify that your external key store proxy is active and is connected to the network, and that its endpoint URI is correct in your external key store."
    public static let tls = "AWS KMS cannot establish a TLS connection to the external key store proxy. Verify the TLS configuration, including its certificate."
    public static let timedOut = "AWS KMS rejected the request because the external key store proxy did not respond in time. Retry the request. If you see this error repeatedly, report it to your external key store proxy administrator."
    public static let unhealthy = "The external key store proxy is in an unhealthy state. If you see this message repeatedly, notify your external key store proxy administrator."
    public static let invalidResponse = "AWS KMS cannot interpret the response from the external key store proxy. If you see this error repeatedly, consult your external key store proxy administrator."
    /// A cryptographic operation on a key whose store is not CONNECTED, verbatim from the XKS proxy API spec's
    /// "KMS considerations" table ("Custom key store is not in CONNECTED state").
    public static let notConnected = "This KMS key is in a custom key store that is not connected to its external key store proxy. Connect the external key store and try the request again."
    /// AWS KMS's own layer of a double-encrypted ciphertext did not open after the proxy removed its layer.
    public static let innerCiphertextInvalid = "The ciphertext that the external key store proxy submitted for decryption, or the encryption context, is corrupted, missing, or otherwise invalid."

    public static func proxy(_ name: XKSError.Name) -> String {
        switch name {
        case .validation: invalidResponse
        case .invalidState: "The external key store proxy rejected the request because the external key is not enabled in the external key manager."
        case .invalidCiphertext: "The external key store proxy rejected the request because the specified ciphertext or additional authenticated data is corrupted, missing, or otherwise invalid."
        case .invalidKeyUsage: "The external key store proxy rejected the request because the external key does not support the requested operation."
        case .authenticationFailed: "The external key store proxy rejected the request because it could not authenticate AWS KMS. Verify the credentials for your external key store and update if necessary."
        case .accessDenied: "The external key store proxy denied access to the operation. Verify that the user and the external key are both authorized for this operation, and try the request again."
        case .keyNotFound: "The external key store proxy rejected the request because it could not find the external key."
        case .invalidUriPath: "The external key store proxy rejected the request because of an invalid URI path. Verify the URI path for your external key store and update if necessary."
        case .throttling: "The external key store proxy rejected the request due to a very high request rate. Reduce the frequency of your calls using KMS keys in this external key store."
        case .internal: "The external key store proxy rejected the request because it cannot communicate with the external key manager. Verify that the external key store proxy configuration is correct and that the external key manager is available."
        case .unsupportedOperation: "The external key store proxy rejected the request because it does not support the requested cryptographic operation."
        case .dependencyTimeout: "The external key store proxy did not respond to the request in the time allotted. Retry the request. If you see this error repeatedly, report it to your external key store proxy administrator."
        }
    }
}
