import Foundation
import KeyStoreEngine

/// The proxy configuration file an external key store proxy hands out (XKS proxy API spec, "Other requirements"),
/// which the KMS console's "Upload configuration file" takes: the URI path and the credential, in one JSON object.
/// `cks xks-proxy init --output json` prints one.
public struct ProxyConfigurationFile: Sendable, Equatable {
    public var uriPath: String
    public var credential: XKSProxyCredential

    /// Such files are a few hundred bytes; anything much larger is the wrong file.
    static let maximumSize = 64 * 1024

    private static let shape = #"{"XksProxyUriPath": "/…/kms/xks/v1", "XksProxyAuthenticationCredential": {"AccessKeyId": "…", "RawSecretAccessKey": "…"}}"#

    /// Reads and checks the file; what is wrong with it is said under the form's file field.
    static func read(_ path: String) -> Result<ProxyConfigurationFile, FormState.Problem> {
        let expanded = NSString(string: path).expandingTildeInPath
        switch RegularFile.read(expanded, limit: maximumSize) {
        case let .success(bytes): return parse(Data(bytes), path: path)
        case let .failure(failure): return problem(message(failure, path))
        }
    }

    /// The file's values, or what is missing from it.
    static func parse(_ data: Data, path: String) -> Result<ProxyConfigurationFile, FormState.Problem> {
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            return problem("\(path) is not a JSON object. A proxy configuration file looks like \(shape) (`cks xks-proxy init --output json` prints one).")
        }
        guard let uriPath = object["XksProxyUriPath"] as? String, !uriPath.isEmpty else {
            return problem("\(path) has no XksProxyUriPath. A proxy configuration file looks like \(shape).")
        }
        guard let credential = object["XksProxyAuthenticationCredential"] as? [String: Any],
              let accessKeyId = credential["AccessKeyId"] as? String, !accessKeyId.isEmpty,
              let secret = credential["RawSecretAccessKey"] as? String, !secret.isEmpty
        else {
            return problem("\(path) lacks XksProxyAuthenticationCredential with both AccessKeyId and RawSecretAccessKey. "
                + "A proxy configuration file looks like \(shape).")
        }
        return .success(ProxyConfigurationFile(uriPath: uriPath,
                                               credential: XKSProxyCredential(accessKeyId: accessKeyId, rawSecretAccessKey: secret)))
    }

    private static func message(_ failure: RegularFile.Failure, _ path: String) -> String {
        switch failure {
        case .missing: "There is no file \(path). Give the proxy configuration file your proxy provides (`cks xks-proxy init --output json` prints the local proxy's)."
        case .folder: "\(path) is a folder. Give the path to the proxy configuration file (JSON)."
        case .notRegular: "\(path) is not a regular file (a pipe, a device or a socket). Give the proxy configuration file (JSON)."
        case let .tooLarge(size):
            "\(path) is \(size.map { "\($0 / 1024) KB" } ?? "more than \(maximumSize / 1024) KB"), far too large for a proxy configuration file."
        case let .unreadable(code): "cks cannot read \(path) (\(String(cString: strerror(code)))); check its permissions."
        }
    }

    private static func problem(_ message: String) -> Result<ProxyConfigurationFile, FormState.Problem> {
        .failure(FormState.Problem(field: .proxyConfigurationFile, message: message))
    }
}
