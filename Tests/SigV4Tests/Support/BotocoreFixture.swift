import Foundation
import SigV4
import Testing

/// A request signed by botocore, from `Vectors/botocore/fixtures.json` (made by `make_fixtures.py`).
struct BotocoreFixture: Decodable, CustomTestStringConvertible, Sendable {
    struct Request: Decodable, Sendable {
        var method: String
        var path: String
        var query: String
        var headers: [[String]]
        var body: String

        var sigV4Request: SigV4Request {
            SigV4Request(
                method: method, path: path, query: query,
                headers: headers.map { (name: $0[0], value: $0[1]) },
                body: Array(body.utf8)
            )
        }
    }

    private struct File: Decodable {
        var cases: [BotocoreFixture]
    }

    static let all: [BotocoreFixture] = {
        guard let data = try? Vectors.data("botocore/fixtures.json"),
              let file = try? JSONDecoder().decode(File.self, from: data)
        else { return [] }
        return file.cases
    }()

    var name: String
    var accessKeyId: String
    var secretAccessKey: String
    var sessionToken: String?
    var region: String
    var service: String
    var timestamp: String
    /// As handed to botocore's signer.
    var request: Request
    /// As botocore sends it: signed, plus the headers botocore adds after signing.
    var signedRequest: Request
    var authorization: String

    var testDescription: String { name }

    var credentials: AWSCredentials {
        AWSCredentials(accessKeyId: accessKeyId, secretAccessKey: secretAccessKey, sessionToken: sessionToken)
    }

    func date() throws -> Date {
        try TestDates.basic(timestamp)
    }
}
