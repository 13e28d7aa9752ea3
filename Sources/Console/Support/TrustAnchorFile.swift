import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads the file the create form names as the trust anchor: the PEM customerCA.crt a cluster was
/// initialized with. What is wrong with it is said before anything is sent.
enum TrustAnchorFile {
    /// Certificates are a few kilobytes; anything much larger is the wrong file.
    static let maximumSize = 1 << 20

    private static let give = "Give the path to the customerCA.crt that was used to initialize the cluster."

    static func read(_ path: String) -> Result<String, FormState.Problem> {
        let expanded = NSString(string: path).expandingTildeInPath
        let bytes: [UInt8]
        switch RegularFile.read(expanded, limit: maximumSize) {
        case let .success(read): bytes = read
        case let .failure(failure): return problem(message(failure, path))
        }
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes.dropFirst(3) : bytes[...]
        guard let text = String(validating: body, as: UTF8.self) else { return notPEM(path) }
        do {
            _ = try CertificateSummary(pem: text)
        } catch {
            switch error.kind {
            case .noCertificateBlock:
                return notPEM(path)
            case .damagedBase64, .malformed:
                return problem("\(path) holds a damaged certificate (\(error.message)). "
                    + "Give the customerCA.crt that was used to initialize the cluster.")
            case .unsupported:
                break  // A name or time this console's reader does not follow: KMS judges it.
            }
        }
        return .success(text)
    }

    private static func message(_ failure: RegularFile.Failure, _ path: String) -> String {
        switch failure {
        case .missing:
            "There is no file \(path). \(give)"
        case .folder:
            "\(path) is a folder. Give the path to the customerCA.crt file that was used to initialize the cluster."
        case .notRegular:
            "\(path) is not a regular file (a pipe, a device or a socket). \(give)"
        case let .tooLarge(size):
            "\(path) is \(size.map { "\($0 / 1024) KB" } ?? "more than \(maximumSize / 1024) KB"), far too large for a certificate: "
                + "is it the customerCA.crt?"
        case let .unreadable(code):
            "cks cannot read \(path) (\(String(cString: strerror(code)))); check its permissions."
        }
    }

    private static func notPEM(_ path: String) -> Result<String, FormState.Problem> {
        problem("\(path) is not a PEM certificate (no -----BEGIN CERTIFICATE----- block). Give the customerCA.crt that was "
            + "used to initialize the cluster; a DER file converts with `openssl x509 -inform der -in FILE -out customerCA.crt`.")
    }

    private static func problem(_ message: String) -> Result<String, FormState.Problem> {
        .failure(FormState.Problem(field: .trustAnchor, message: message))
    }
}
