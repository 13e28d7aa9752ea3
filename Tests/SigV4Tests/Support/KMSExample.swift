import Foundation
import SigV4

/// A DescribeCustomKeyStores call as the aws CLI sends it, with its credentials and a fixed clock.
enum KMSExample {
    static let credentials = AWSCredentials(
        accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    )
    static let temporaryCredentials = AWSCredentials(
        accessKeyId: "ASIAIOSFODNN7EXAMPLE", secretAccessKey: "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
        sessionToken: "FwoGZXIvYXdzEXAMPLE//////////wEaDExampleToken+/="
    )
    /// 2015-08-30T12:36:00Z
    static let date = Date(timeIntervalSince1970: 1_440_938_160)

    static let request = SigV4Request(
        method: "POST",
        path: "/",
        headers: [
            (name: "Host", value: "kms.us-east-1.amazonaws.com"),
            (name: "X-Amz-Target", value: "TrentService.DescribeCustomKeyStores"),
            (name: "Content-Type", value: "application/x-amz-json-1.1"),
            (name: "User-Agent", value: "aws-cli/2.22.0"),
        ],
        body: Array(#"{"CustomKeyStoreName":"ExampleKeyStore"}"#.utf8)
    )

    static func signer(_ credentials: AWSCredentials = credentials, service: String = "kms") -> SigV4Signer {
        SigV4Signer(credentials: credentials, region: "us-east-1", service: service)
    }

    static let verifier = SigV4Verifier(services: ["kms"]) { accessKeyId in
        [credentials, temporaryCredentials].first { $0.accessKeyId == accessKeyId }
    }

    static func signed(_ credentials: AWSCredentials = credentials, at date: Date = date) -> SigV4Request {
        signer(credentials).sign(request, date: date)
    }
}

extension SigV4Request {
    /// The request with each `Authorization` header rewritten.
    func editingAuthorization(_ edit: (String) -> String) -> SigV4Request {
        var copy = self
        copy.headers = headers.map { $0.name == "Authorization" ? (name: $0.name, value: edit($0.value)) : $0 }
        return copy
    }
}
