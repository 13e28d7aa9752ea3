import CKSTestSupport
import Foundation

/// A KMS client of `cks serve` during the run: Encrypt and Decrypt on the keys of the stores, describes, and
/// now and then (every 1 to 3 s, so the stores are also CONNECTED long enough for crypto) Connect/Disconnect. A refused connection (the server is being restarted) is counted, not a
/// problem; a 5xx answer, an answer that is not a KMS JSON error, or a Decrypt that returns other bytes is.
struct KMSTraffic: Sendable {
    let client: KMSClient
    let keys: [String]
    let stores: [StoreRow]
    let ledger: ChaosLedger
    let seed: UInt64
    let deadline: Date
    var pause = 0.0

    func run() {
        var generator = SeededGenerator(seed: seed)
        var sequence = 0
        var nextStoreOperation = Date().addingTimeInterval(Double.random(in: 1...3, using: &generator))
        while Date() < deadline {
            sequence += 1
            let roll = Int.random(in: 0..<100, using: &generator)
            do {
                if Date() >= nextStoreOperation, let store = stores.randomElement(using: &generator) {
                    nextStoreOperation = Date().addingTimeInterval(Double.random(in: 1...3, using: &generator))
                    let operation = Int.random(in: 0..<3, using: &generator) < 2 ? "ConnectCustomKeyStore" : "DisconnectCustomKeyStore"
                    try check(operation, ["CustomKeyStoreId": store.id])
                    continue
                }
                switch roll {
                case 0..<55: try encrypt(sequence, &generator)
                case 55..<85: try decrypt(&generator)
                default: try check("DescribeCustomKeyStores", [:])
                }
            } catch {
                ledger.refused()
                usleep(20_000)
            }
            if pause > 0 { usleep(UInt32(pause * 1_000_000)) }
        }
    }

    private func encrypt(_ sequence: Int, _ generator: inout SeededGenerator) throws(LoopbackSocket.Failure) {
        guard let key = keys.randomElement(using: &generator) else { return }
        let bytes = (0..<Int.random(in: 1...64, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let plaintext = Data(bytes).base64EncodedString()
        let context = ["harness": "cks-chaos", "n": String(sequence)]
        let answer = try check("Encrypt", ["KeyId": key, "Plaintext": plaintext, "EncryptionContext": context])
        guard answer.status == 200 else { return }
        guard let blob = answer.json?["CiphertextBlob"] as? String else {
            ledger.problem("Encrypt answered 200 without a CiphertextBlob")
            return
        }
        ledger.encrypted(Encryption(keyId: key, plaintext: plaintext, ciphertext: blob, context: context))
    }

    private func decrypt(_ generator: inout SeededGenerator) throws(LoopbackSocket.Failure) {
        guard let earlier = ledger.someEncryption({ Int.random(in: 0..<$0, using: &generator) }) else { return }
        let answer = try check("Decrypt", ["CiphertextBlob": earlier.ciphertext, "EncryptionContext": earlier.context])
        if answer.status == 200, answer.json?["Plaintext"] as? String != earlier.plaintext {
            ledger.problem("Decrypt of a ciphertext of \(earlier.keyId) returned other bytes")
        }
    }

    /// Sends a call and counts its answer; a server error or a non-JSON answer is a problem.
    @discardableResult
    private func check(_ operation: String, _ body: [String: Any]) throws(LoopbackSocket.Failure) -> HTTPAnswer {
        let answer = try client.call(operation, body)
        if answer.status == 200 {
            ledger.answered(errorType: nil)
        } else if let type = answer.errorType, answer.status < 500 {
            ledger.answered(errorType: type)
            if type.contains("Signature") || type == "UnrecognizedClientException" {
                ledger.problem("\(operation) was refused: \(type)")
            }
        } else {
            ledger.answered(errorType: answer.errorType ?? "HTTP \(answer.status)")
            ledger.problem("\(operation) answered \(answer.status) \(String(decoding: answer.body.prefix(300), as: UTF8.self))")
        }
        return answer
    }
}
