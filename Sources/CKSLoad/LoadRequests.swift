import Foundation
import SigV4

func request(_ options: Options, _ target: String, _ body: [String: Any]) -> SignedRequest {
    let json = String(decoding: try! JSONSerialization.data(withJSONObject: body, options: [.sortedKeys]), as: UTF8.self)
    return SignedRequest(host: options.host, port: options.port, target: target, body: json,
                         credentials: options.credentials, region: options.region)
}

/// The key the loops use: the one given, or a new one (in the custom key store, if one is given).
func benchmarkKey(_ options: Options) -> String {
    if let keyId = options.keyId { return keyId }
    var body: [String: Any] = ["Description": "cks-load"]
    if let store = options.keyStoreId {
        body["CustomKeyStoreId"] = store
        body["Origin"] = "AWS_CLOUDHSM"
    }
    do {
        let connection = try KeepAliveConnection(host: options.host, port: options.port)
        let answer = try connection.exchange(request(options, "TrentService.CreateKey", body).bytes)
        let json = try JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any]
        guard answer.status == 200, let metadata = json?["KeyMetadata"] as? [String: Any], let id = metadata["KeyId"] as? String else {
            fail("CreateKey answered \(answer.status): \(String(decoding: answer.body, as: UTF8.self))")
        }
        return id
    } catch {
        fail("CreateKey failed: \(error)")
    }
}

func operationRequest(_ options: Options, _ operation: String, keyId: String) -> SignedRequest {
    switch operation {
    case "ListKeys": request(options, "TrentService.ListKeys", [:])
    case "DescribeKey": request(options, "TrentService.DescribeKey", ["KeyId": keyId])
    case "Encrypt": request(options, "TrentService.Encrypt", ["KeyId": keyId, "Plaintext": "aGVsbG8ta21zLWJlbmNoLTMyLWJ5dGVzLXBheWxvYWQ="])
    case "DescribeCustomKeyStores": request(options, "TrentService.DescribeCustomKeyStores", [:])
    default: fail("unknown operation \(operation)")
    }
}
