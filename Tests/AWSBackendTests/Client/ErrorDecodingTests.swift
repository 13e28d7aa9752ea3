@testable import AWSBackend
import Foundation
import KeyStoreEngine
import Testing

@Suite("Error answers become the simulator's KMSError codes")
struct ErrorDecodingTests {
    static let endpoint = URL(string: "https://kms.us-east-1.amazonaws.com")!

    func decode(_ status: Int, _ body: String, headers: [(name: String, value: String)] = []) -> KMSError {
        AWSErrorDecoder.decode(HTTPResponseData(status: status, headers: headers, body: Array(body.utf8)), endpoint: Self.endpoint)
    }

    @Test(arguments: [
        (#"{"__type":"CustomKeyStoreNotFoundException","message":"not here"}"#, KMSError.Code.customKeyStoreNotFound, "not here"),
        (#"{"__type":"com.amazonaws.kms#CustomKeyStoreInvalidStateException","message":"bad state"}"#, .customKeyStoreInvalidState, "bad state"),
        (#"{"__type":"com.amazonaws.kms#NotFoundException","Message":"capital M"}"#, .notFound, "capital M"),
        (#"{"__type":"CloudHsmClusterNotActiveException:http://internal.amazon.com/coral/","message":"m"}"#, .cloudHsmClusterNotActive, "m"),
        (#"{"code":"ThrottlingException","message":"Rate exceeded"}"#, .throttling, "Rate exceeded"),
        (#"{"__type":"KMSInternalException"}"#, .kmsInternal, "KMSInternalException (HTTP 400)."),
    ])
    func decodes(body: String, code: KMSError.Code, message: String) {
        let error = decode(400, body)
        #expect(error.code == code)
        #expect(error.message == message)
    }

    @Test func everySimulatorCodeRoundTrips() {
        let codes: [KMSError.Code] = [
            .customKeyStoreNotFound, .customKeyStoreInvalidState, .customKeyStoreNameInUse, .customKeyStoreHasCMKs,
            .cloudHsmClusterNotFound, .cloudHsmClusterInUse, .cloudHsmClusterNotActive, .cloudHsmClusterInvalidConfiguration,
            .cloudHsmClusterNotRelated, .incorrectTrustAnchor, .limitExceeded, .kmsInternal, .kmsInvalidState, .invalidMarker,
            .validation, .notFound, .unrecognizedClient, .invalidSignature,
        ]
        for code in codes {
            for prefix in ["", "com.amazonaws.kms#"] {
                let error = decode(400, #"{"__type":"\#(prefix)\#(code.rawValue)","message":"x"}"#)
                #expect(error == KMSError(code, "x"))
            }
        }
    }

    @Test func typeFromHeader() {
        let error = decode(400, #"{"message":"from header"}"#, headers: [(name: "x-amzn-ErrorType", value: "AccessDeniedException:http://x")])
        #expect(error.code == .accessDenied)
        #expect(error.message == "from header")
    }

    @Test func notKMS() {
        let html = decode(502, "<html><body>Bad Gateway</body></html>")
        #expect(html.code == .endpointUnavailable)
        #expect(html.message.contains("HTTP 502") && html.message.contains("Bad Gateway"))
        let empty = decode(403, "")
        #expect(empty.code == .endpointUnavailable)
    }
}
