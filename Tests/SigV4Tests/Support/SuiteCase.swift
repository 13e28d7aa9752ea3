import Foundation
import SigV4
import Testing

/// One folder of the AWS test suite's `v4/` cases.
struct SuiteCase: CustomTestStringConvertible, Sendable {
    struct Context: Decodable {
        struct Credentials: Decodable {
            var access_key_id: String
            var secret_access_key: String
            var token: String?
        }

        var credentials: Credentials
        var region: String
        var service: String
        var timestamp: String
        var normalize: Bool
        var sign_body: Bool
        var omit_session_token: Bool?
    }

    static let folder = "aws-sigv4-test-suite/v4"

    static let all: [SuiteCase] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: Vectors.url(folder).path)) ?? []
        return names.sorted().map(SuiteCase.init(name:))
    }()

    let name: String
    var testDescription: String { name }

    func file(_ fileName: String) throws -> String {
        try Vectors.text("\(Self.folder)/\(name)/\(fileName)")
    }

    func context() throws -> Context {
        try JSONDecoder().decode(Context.self, from: Vectors.data("\(Self.folder)/\(name)/context.json"))
    }

    func signer() throws -> SigV4Signer {
        let context = try context()
        let credentials = AWSCredentials(
            accessKeyId: context.credentials.access_key_id,
            secretAccessKey: context.credentials.secret_access_key,
            sessionToken: context.credentials.token
        )
        let options = SigV4Signer.Options(
            normalizePath: context.normalize,
            addContentSHA256: context.sign_body,
            signSessionToken: !(context.omit_session_token ?? false)
        )
        return SigV4Signer(credentials: credentials, region: context.region, service: context.service, options: options)
    }

    func date() throws -> Date {
        try TestDates.iso8601(context().timestamp)
    }
}
