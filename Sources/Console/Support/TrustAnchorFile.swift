import Foundation

/// Reads the file the create form names as the trust anchor: the PEM customerCA.crt a cluster was
/// initialized with. What is wrong with it is said before anything is sent.
enum TrustAnchorFile {
    /// Certificates are a few kilobytes; anything much larger is the wrong file.
    static let maximumSize = 1 << 20

    static func read(_ path: String) -> Result<String, FormState.Problem> {
        let expanded = NSString(string: path).expandingTildeInPath
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: expanded, isDirectory: &isFolder) else {
            return problem("There is no file \(path). Give the path to the customerCA.crt that was used to initialize the cluster.")
        }
        if isFolder.boolValue {
            return problem("\(path) is a folder. Give the path to the customerCA.crt file that was used to initialize the cluster.")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: expanded)[.size] as? Int) ?? 0
        guard size <= maximumSize else {
            return problem("\(path) is \(size / 1024) KB, far too large for a certificate: is it the customerCA.crt?")
        }
        guard let data = FileManager.default.contents(atPath: expanded) else {
            return problem("cks cannot read \(path) (check its permissions).")
        }
        guard let text = String(data: data, encoding: .utf8) else { return notPEM(path) }
        if let damage = damage(text) {
            return damage == noBlock ? notPEM(path) : problem("\(path) holds a damaged certificate (\(damage)). "
                + "Give the customerCA.crt that was used to initialize the cluster.")
        }
        return .success(text)
    }

    private static let noBlock = "no PEM CERTIFICATE block"

    /// Why the text is not a usable certificate, or nil. Names or times this console's reader does not
    /// follow are left to KMS to judge.
    private static func damage(_ text: String) -> String? {
        do {
            _ = try CertificateSummary(pem: text)
            return nil
        } catch {
            return error.message.hasPrefix("unsupported string type") || error.message.hasPrefix("bad ") ? nil : error.message
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
