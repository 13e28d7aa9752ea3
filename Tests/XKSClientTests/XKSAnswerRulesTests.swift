import KeyStoreEngine
import Testing
import XKS
@testable import XKSClient

/// What the client refuses in answers that parse: out-of-range health answers, encrypt answers with wrong
/// sizes or a data integrity value that does not match.
@Suite struct XKSAnswerRulesTests {
    private func health(fleet: Int, instances: [XKSHealthStatus]) -> XKSHealthResponse {
        XKSHealthResponse(xksProxyFleetSize: fleet, xksProxyVendor: "v", xksProxyModel: "m", ekmVendor: "e",
                          ekmFleetDetails: instances.enumerated().map { XKSKeyManagerInstance(id: "ekm-\($0.offset)", model: "m", healthStatus: $0.element) })
    }

    @Test func healthAnswersOutOfRange() {
        #expect(XKSAnswerRules.health(health(fleet: 2, instances: [.active, .degraded])).value?.ekmFleetDetails.count == 2)
        #expect(XKSAnswerRules.health(health(fleet: 0, instances: [.active])).failure?.connectionErrorCode == .xksProxyInvalidResponse)
        #expect(XKSAnswerRules.health(health(fleet: 1, instances: [])).failure?.connectionErrorCode == .xksProxyInvalidResponse)
        #expect(XKSAnswerRules.health(health(fleet: 1, instances: Array(repeating: .active, count: 11))).failure?.connectionErrorCode == .xksProxyInvalidResponse)
        #expect(XKSAnswerRules.health(health(fleet: 1, instances: [.unavailable, .unavailable])).failure?.connectionErrorCode == .xksProxyNotReachable)
    }

    private func answer(iv: Int = 12, tag: Int = 16, metadata: Int = 4, ciphertext: Int = 5, aad: [UInt8] = [9],
                        integrityOf integrityAAD: [UInt8]? = nil) -> XKSEncryptResponse {
        let bytes = { (count: Int) in (0..<count).map { UInt8($0 & 0xFF) } }
        let cdiv = XKSIntegrity.dataIntegrityValue(aad: integrityAAD ?? aad, metadata: bytes(metadata), iv: bytes(iv),
                                                   ciphertext: bytes(ciphertext), tag: bytes(tag))
        return XKSEncryptResponse(ciphertext: XKSBase64.encode(bytes(ciphertext)), initializationVector: XKSBase64.encode(bytes(iv)),
                                  authenticationTag: XKSBase64.encode(bytes(tag)), ciphertextMetadata: XKSBase64.encode(bytes(metadata)),
                                  ciphertextDataIntegrityValue: XKSBase64.encode(cdiv))
    }

    @Test func encryptAnswersWithWrongSizesOrIntegrity() {
        #expect(XKSAnswerRules.encrypt(answer(), plaintextCount: 5, aad: [9]).value?.ciphertextMetadata.count == 4)
        #expect(XKSAnswerRules.encrypt(answer(iv: 16), plaintextCount: 5, aad: [9]).value != nil)
        for bad in [answer(iv: 8), answer(tag: 12), answer(metadata: 21), answer(ciphertext: 6), answer(integrityOf: [8])] {
            guard case .invalidResponse = XKSAnswerRules.encrypt(bad, plaintextCount: 5, aad: [9]).failure else {
                Issue.record("accepted \(bad)")
                continue
            }
        }
        var missing = answer()
        missing.ciphertextDataIntegrityValue = nil
        #expect(XKSAnswerRules.encrypt(missing, plaintextCount: 5, aad: [9]).failure?.connectionErrorCode == .xksProxyInvalidResponse)
    }

    @Test func statusesWithoutAnXKSBodyAndUnknownErrorNames() {
        let html = XKSHTTPAnswer(status: 502, body: Array("<html>Bad Gateway</html>".utf8), keepAlive: true)
        #expect(XKSProxyClient.classify(html, as: XKSHealthResponse.self).failure?.connectionErrorCode == .xksProxyInvalidResponse)
        let unknown = XKSHTTPAnswer(status: 400, body: Array(#"{"errorName":"TeapotException"}"#.utf8), keepAlive: true)
        #expect(XKSProxyClient.classify(unknown, as: XKSHealthResponse.self).failure?.connectionErrorCode == .xksProxyInvalidResponse)
        let busy = XKSHTTPAnswer(status: 503, body: [], keepAlive: true)
        #expect(XKSProxyClient.classify(busy, as: XKSHealthResponse.self).failure?.message == XKSMessages.proxy(.dependencyTimeout))
    }
}
