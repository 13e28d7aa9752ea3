import CKSTestSupport
import Foundation
import SigV4

/// Random but plausible signing inputs: odd paths, queries, repeated and padded headers, binary bodies.
struct RandomRequests {
    var generator: SeededGenerator

    private static let pathPieces = ["a", "b", "key", "é", "%20", "%2F", ".", "..", "", "~user", "a b", "x+y", "ሴ"]
    private static let textCharacters = Array("abcXYZ019 -_.~!$&'()*+,;=:@/?%é\u{1234}\t")

    mutating func request() -> SigV4Request {
        let segments = (0..<int(0...4)).map { _ in pick(Self.pathPieces) }
        let query = (0..<int(0...3)).map { _ in "\(text(1...6))=\(text(0...8))" }.joined(separator: "&")
        var headers: [(name: String, value: String)] = [(name: "Host", value: "kms.\(text(1...5)).example")]
        for _ in 0..<int(0...5) {
            headers.append((name: "X-Test-\(pick(["One", "two", "THREE"]))", value: text(0...20)))
        }
        headers.append((name: "User-Agent", value: text(0...10)))
        return SigV4Request(
            method: pick(["GET", "POST", "PUT", "DELETE"]),
            path: "/" + segments.joined(separator: "/"),
            query: query.replacingOccurrences(of: "&&", with: "&"),
            headers: headers,
            body: (0..<int(0...64)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        )
    }

    mutating func credentials() -> AWSCredentials {
        AWSCredentials(
            accessKeyId: "AKID" + text(4...8).filter(\.isLetter).uppercased(),
            secretAccessKey: text(10...40),
            sessionToken: Bool.random(using: &generator) ? text(10...30) : nil
        )
    }

    mutating func date() -> Date {
        Date(timeIntervalSince1970: Double(Int.random(in: 0...4_102_444_800, using: &generator)))
    }

    mutating func pick<T>(_ choices: [T]) -> T {
        choices.randomElement(using: &generator)!
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int {
        Int.random(in: range, using: &generator)
    }

    private mutating func text(_ length: ClosedRange<Int>) -> String {
        String((0..<int(length)).map { _ in pick(Self.textCharacters) })
    }
}
