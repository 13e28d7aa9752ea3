import Foundation
import KeyStoreEngine

/// Turns an error answer of a JSON 1.1 service into the `KMSError` the simulator would raise.
enum AWSErrorDecoder {
    /// `__type` (or `code`, or the `x-amzn-ErrorType` header) names the exception; `message` or `Message` says why.
    static func decode(_ response: HTTPResponseData, endpoint: URL) -> KMSError {
        let json = try? JSONValue.parse(Data(response.body))
        let name = (json?["__type"]?.stringValue ?? json?["code"]?.stringValue ?? json?["Code"]?.stringValue
            ?? response.header("x-amzn-ErrorType")).map(exceptionName)
        let message = json?["message"]?.stringValue ?? json?["Message"]?.stringValue ?? json?["errorMessage"]?.stringValue
        guard let name, !name.isEmpty else {
            let snippet = String(decoding: response.body.prefix(200), as: UTF8.self)
                .replacingOccurrences(of: "\n", with: " ").trimmingWhitespace
            return KMSError(.endpointUnavailable,
                            "\(endpoint.absoluteString) answered HTTP \(response.status) without a KMS error"
                            + (snippet.isEmpty ? "." : ": \(snippet)") + " Is it a KMS endpoint?")
        }
        return KMSError(KMSError.Code(name), message ?? "\(name) (HTTP \(response.status)).")
    }

    /// `com.amazonaws.kms#NotFoundException` → `NotFoundException`; `X:http://internal…` → `X`.
    static func exceptionName(_ raw: String) -> String {
        var name = Substring(raw)
        if let hash = name.lastIndex(of: "#") { name = name[name.index(after: hash)...] }
        if let colon = name.firstIndex(of: ":") { name = name[..<colon] }
        return name.trimmingWhitespace
    }
}
