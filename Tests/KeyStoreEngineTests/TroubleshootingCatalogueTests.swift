import Foundation
import KeyStoreEngine
import Testing

/// Checks assets/troubleshooting.json through the copy compiled into the binary.
@Suite("Troubleshooting catalogue")
struct TroubleshootingCatalogueTests {
    let catalogue = TroubleshootingCatalogue.standard

    /// The codes an external key store can fail with: the XKS_ ones plus those shared with CloudHSM stores.
    static let externalKeyStoreCodes: [ConnectionErrorCode] =
        [.internalError, .networkErrors, .invalidCredentials]
        + ConnectionErrorCode.allCases.filter { $0.rawValue.hasPrefix("XKS_") }

    /// Entries that a CloudHSM key store can show.
    var cloudHSMEntries: [TroubleshootingEntry] {
        catalogue.entries.filter { $0.storeTypes.contains(.awsCloudHSM) }
    }

    @Test("The compiled-in catalogue decodes and has 20 entries")
    func compiledInCopyDecodes() {
        // `standard` falls back to an empty catalogue when the embedded JSON is missing or does not decode.
        #expect(catalogue.entries.count == 20)
    }

    @Test("The compiled-in copy matches assets/troubleshooting.json on disk")
    func compiledInCopyMatchesFile() throws {
        let file = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("assets/troubleshooting.json")
        let onDisk = try TroubleshootingCatalogue(json: Data(contentsOf: file))
        #expect(onDisk.entries == catalogue.entries)
    }

    @Test("Every ConnectionErrorCode has an entry", arguments: ConnectionErrorCode.allCases)
    func everyCodeHasAnEntry(code: ConnectionErrorCode) {
        #expect(catalogue.entries.contains { $0.code == code })
    }

    @Test("CloudHSM codes have an AWS_CLOUDHSM entry", arguments: ConnectionErrorCode.cloudHSMCodes)
    func cloudHSMCodesHaveCloudHSMEntries(code: ConnectionErrorCode) {
        #expect(catalogue.entries.contains { $0.code == code && $0.storeTypes.contains(.awsCloudHSM) })
        #expect(catalogue.entry(for: code, storeType: .awsCloudHSM)?.storeTypes.contains(.awsCloudHSM) == true)
    }

    @Test("External key store codes have an EXTERNAL_KEY_STORE entry", arguments: externalKeyStoreCodes)
    func externalCodesHaveExternalEntries(code: ConnectionErrorCode) {
        #expect(catalogue.entries.contains { $0.code == code && $0.storeTypes.contains(.externalKeyStore) })
        #expect(catalogue.entry(for: code, storeType: .externalKeyStore)?.storeTypes.contains(.externalKeyStore) == true)
    }

    @Test("Codes of only one store type are not offered to the other type")
    func storeTypesAreExact() {
        let shared: Set<ConnectionErrorCode> = [.internalError, .networkErrors, .invalidCredentials]
        for entry in catalogue.entries where !shared.contains(entry.code) {
            let expected: [CustomKeyStoreType] = entry.code.rawValue.hasPrefix("XKS_") ? [.externalKeyStore] : [.awsCloudHSM]
            #expect(entry.storeTypes == expected, "\(entry.code.rawValue)")
        }
        let internalError = catalogue.entries.filter { $0.code == .internalError }
        #expect(internalError.count == 1)
        #expect(Set(internalError.first?.storeTypes ?? []) == Set(CustomKeyStoreType.allCases))
        // NETWORK_ERRORS has one entry per store type: a CloudHSM store's fix names the cluster, an external store's the proxy.
        let network = catalogue.entries.filter { $0.code == .networkErrors }
        #expect(network.map(\.storeTypes) == [[.awsCloudHSM], [.externalKeyStore]])
    }

    @Test("No code has two entries for the same store type")
    func noDuplicatePairs() {
        var seen = Set<String>()
        for entry in catalogue.entries {
            #expect(!entry.storeTypes.isEmpty, "\(entry.code.rawValue) has no store type")
            for type in entry.storeTypes {
                let pair = "\(entry.code.rawValue)/\(type.rawValue)"
                #expect(seen.insert(pair).inserted, "duplicate \(pair)")
            }
        }
    }

    @Test("INVALID_CREDENTIALS differs between CloudHSM and external key stores")
    func invalidCredentialsDiffersByType() throws {
        let entries = catalogue.entries.filter { $0.code == .invalidCredentials }
        #expect(entries.count == 2)
        let cloudHSM = try #require(catalogue.entry(for: .invalidCredentials, storeType: .awsCloudHSM))
        let external = try #require(catalogue.entry(for: .invalidCredentials, storeType: .externalKeyStore))
        #expect(cloudHSM.storeTypes == [.awsCloudHSM])
        #expect(external.storeTypes == [.externalKeyStore])
        #expect(cloudHSM.title != external.title)
        #expect(cloudHSM.meaning != external.meaning)
        #expect(cloudHSM.fixSteps != external.fixSteps)
        // CloudHSM: KeyStorePassword differs from kmsuser's password. External: the proxy rejects the credential.
        #expect(cloudHSM.meaning.contains("kmsuser"))
        #expect(cloudHSM.fixSteps.contains { $0.contains("`cks update <store> --password") })
        #expect(external.meaning.localizedCaseInsensitiveContains("proxy"))
        #expect(external.meaning.localizedCaseInsensitiveContains("credential"))
        #expect(!external.fixSteps.joined().contains("kmsuser"))
    }

    @Test("Every field of every entry is filled in")
    func noEmptyFields() {
        func blank(_ text: String) -> Bool { text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        for entry in catalogue.entries {
            let code = entry.code.rawValue
            #expect(!blank(entry.title), "\(code) title")
            #expect(!blank(entry.meaning), "\(code) meaning")
            #expect(!blank(entry.likelyCause), "\(code) likelyCause")
            #expect(!entry.fixSteps.isEmpty, "\(code) fixSteps")
            #expect(!entry.fixSteps.contains(where: blank), "\(code) has an empty step")
        }
    }

    @Test("CloudHSM fixes start by disconnecting and end by connecting")
    func cloudHSMFixesDisconnectFirstAndConnectLast() throws {
        #expect(!cloudHSMEntries.isEmpty)
        for entry in cloudHSMEntries {
            let first = try #require(entry.fixSteps.first)
            let last = try #require(entry.fixSteps.last)
            #expect(first.contains("`cks disconnect <store> --wait`"), "\(entry.code.rawValue) first step: \(first)")
            #expect(last.contains("`cks connect <store> --wait`"), "\(entry.code.rawValue) last step: \(last)")
            // Only the first step disconnects; nothing after it may leave the store disconnected again.
            #expect(!entry.fixSteps.dropFirst().contains { $0.contains("cks disconnect") }, "\(entry.code.rawValue)")
        }
    }

    @Test("Text is plain ASCII and every backtick span is closed")
    func plainASCIIAndBalancedBackticks() {
        for entry in catalogue.entries {
            for text in [entry.title, entry.meaning, entry.likelyCause] + entry.fixSteps {
                let ascii = text.unicodeScalars.allSatisfy { $0.isASCII }
                #expect(ascii, "\(entry.code.rawValue): \(text)")
                #expect(text.filter { $0 == "`" }.count % 2 == 0, "\(entry.code.rawValue): \(text)")
            }
        }
    }
}
