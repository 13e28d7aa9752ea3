import CKSTestSupport
import Foundation
import GRDB

/// After the run: every ciphertext an Encrypt returned with success must still decrypt to its plaintext.
/// A key is usable only while its store is CONNECTED (as in KMS), so the stores of those keys are connected
/// first (a FAILED one disconnected, then connected), at instant pace, and a fresh `cks serve` decrypts.
struct DecryptCheck {
    let world: ChaosWorld
    let port: Int
    let client: KMSClient

    func verify(_ encryptions: [Encryption]) throws -> (decrypted: Int, problems: [String]) {
        guard !encryptions.isEmpty else { return (0, []) }
        var problems: [String] = []
        let keys = Set(encryptions.map(\.keyId))
        let stores = try world.file.read { db in
            try Set(String.fetchAll(db, sql: "SELECT key_store_id FROM kms_keys WHERE id IN (\(keys.map { "'\($0)'" }.joined(separator: ",")))"))
        }
        for store in stores.sorted() {
            let state = try world.file.read { try String.fetchOne($0, sql: "SELECT state FROM key_stores WHERE id = ?", arguments: [store]) }
            if state == "FAILED" { _ = try world.run(["disconnect", store, "--wait"]) }
            if state != "CONNECTED" { _ = try world.run(["connect", store, "--wait"]) }
            let now = try world.file.read { try String.fetchOne($0, sql: "SELECT state FROM key_stores WHERE id = ?", arguments: [store]) }
            if now != "CONNECTED" { problems.append("store \(store) could not be connected again to decrypt (it is \(now ?? "gone"))") }
        }
        let server = try world.start(["serve", "--port", "\(port)"], pace: "instant")
        defer {
            server.send(SIGTERM)
            _ = server.waitForEnd(seconds: 30)
        }
        guard server.waitForOutput("Ctrl-C stops the server.", seconds: 60) else {
            return (0, problems + ["cks serve did not start for the decrypt check: \(server.stderrTail)"])
        }
        var decrypted = 0
        for (index, encryption) in encryptions.enumerated() {
            do {
                let answer = try client.call("Decrypt", ["CiphertextBlob": encryption.ciphertext, "EncryptionContext": encryption.context])
                if answer.status == 200, answer.json?["Plaintext"] as? String == encryption.plaintext {
                    decrypted += 1
                } else {
                    problems.append("ciphertext \(index) of key \(encryption.keyId) no longer decrypts: \(answer.status) \(answer.errorType ?? String(decoding: answer.body.prefix(200), as: UTF8.self))")
                }
            } catch {
                problems.append("ciphertext \(index) of key \(encryption.keyId): \(error)")
            }
        }
        return (decrypted, problems)
    }
}
