import Foundation
import SigV4

/// A KMS JSON 1.1 request signed once with SigV4 and kept as wire bytes: the signature holds for five
/// minutes, longer than any timed loop, so the client spends nothing per request on signing.
struct SignedRequest {
    let bytes: [UInt8]

    init(host: String, port: UInt16, target: String, body: String, credentials: AWSCredentials, region: String) {
        let signingName = target.hasPrefix("BaldrApiService.") ? "cloudhsm" : "kms"
        let unsigned = SigV4Request(method: "POST", path: "/", headers: [
            (name: "Host", value: "\(host):\(port)"),
            (name: "Content-Type", value: "application/x-amz-json-1.1"),
            (name: "X-Amz-Target", value: target),
        ], body: Array(body.utf8))
        let signed = SigV4Signer(credentials: credentials, region: region, service: signingName).sign(unsigned, date: Date())
        var text = "POST / HTTP/1.1\r\n"
        for header in signed.headers { text += "\(header.name): \(header.value)\r\n" }
        text += "Content-Length: \(signed.body.count)\r\n\r\n"
        bytes = Array(text.utf8) + signed.body
    }
}
