import Foundation
@testable import Console
import KeyStoreEngine
import Testing

/// The External key stores tab: its own selection, filter and columns, the actions menu with the XKS rules, the
/// create and edit forms (proxy configuration file, masked secret), Create key with an external key ID, and the
/// detail's proxy sections (issue 11).
@Suite("External key stores in the console")
struct ExternalKeyStoreTests {
    func driver(size: Size = Size(width: 120, height: 36)) -> Driver {
        Driver(Fixtures.loadedWithExternal(size: size))
    }

    func form(_ driver: Driver) -> FormState? {
        if case let .form(form) = driver.state.modal { form } else { nil }
    }

    @Test func eachTabHasItsOwnStoresSelectionAndFilter() {
        var driver = driver()
        #expect(driver.state.tab == .awsCloudHSM)
        #expect(driver.state.table.order.count == 6)
        driver.press(.character("]"))
        #expect(driver.state.tab == .externalKeyStore)
        #expect(driver.state.table.order == [Fixtures.ledgerId, Fixtures.partnerId, Fixtures.vaultId])
        driver.press(.character("/"))
        driver.type("partner")
        driver.press(.enter)
        #expect(driver.state.table.order == [Fixtures.partnerId])
        driver.press(.character("["))
        #expect(driver.state.tab == .awsCloudHSM)
        #expect(driver.state.table.filter.isEmpty)
        #expect(driver.state.table.selectedId == Fixtures.analyticsId)
        driver.press(.character("2"))
        #expect(driver.state.table.filter == "partner")
        #expect(driver.state.table.selectedId == Fixtures.partnerId)
        let frame = driver.frame()
        #expect(frame.text.contains("[ External key stores (3) ] ✗ 1 failed"))
        #expect(frame.text.contains("/ partner   1 of 3 external key stores   Esc clears"), "the filter counts the tab shown")
        #expect(frame.text.contains("AWS CloudHSM key stores (6)   ✗ 2 failed"))
    }

    @Test func theExternalTabHasTheProxyColumns() {
        var driver = driver(size: Size(width: 160, height: 30))
        driver.press(.character("]"))
        let frame = driver.frame()
        let headings = frame.line(4)
        for column in ["NAME", "ID", "CONNECTIVITY", "URI ENDPOINT", "URI PATH", "CONNECTION STATE"] {
            #expect(headings.contains(column), "\(column) in \(headings)")
        }
        #expect(!headings.contains("CLUSTER"))
        #expect(frame.row(containing: "xks-vault").map { frame.line($0).contains("VPC  ") } == true)
        #expect(frame.text.contains("https://xks.partner.example.com  /wrong/kms/xks/v1"))
        // At 80 columns the name and the whole state come first.
        let narrow = render(driver.state, size: Size(width: 80, height: 24))
        #expect(narrow.row(containing: "✗ FAILED  XKS_PROXY_INVALID_CONFIGURATION") != nil, "\(narrow.text)")
        #expect(narrow.line(3).contains("External key stores (3)"))
    }

    @Test func openingAStoreByNameShowsItsTab() {
        var driver = driver()
        driver.press(.character(":"))
        driver.type("open xks-vault")
        driver.press(.enter)
        #expect(driver.state.screen == .detail(storeId: Fixtures.vaultId))
        #expect(driver.state.tab == .externalKeyStore)
        driver.press(.escape)
        #expect(driver.state.table.selectedId == Fixtures.vaultId)
    }

    @Test func theMenuFollowsTheXKSRules() {
        let state = driver().state
        func items(_ id: String) -> [MenuItem.Kind: MenuItem] {
            Dictionary(uniqueKeysWithValues: Reducer.menuItems(for: id, in: state).map { ($0.kind, $0) })
        }
        let connected = items(Fixtures.ledgerId)
        #expect(connected[.edit]?.disabledReason == nil, "name, path and credential change while CONNECTED")
        #expect(connected[.createKey]?.disabledReason == nil)
        #expect(connected[.connect]?.disabledReason == "already connected")
        let disconnected = items(Fixtures.vaultId)
        #expect(disconnected[.createKey]?.disabledReason == "connect first: keys can be created only in a CONNECTED store")
        let failed = items(Fixtures.partnerId)
        #expect(failed[.edit]?.disabledReason == "disconnect first: a FAILED store cannot be edited")
        #expect(failed[.repair]?.disabledReason == nil)
    }

    @Test func editOfAConnectedStoreOffersOnlyWhatMayChangeWhileConnected() {
        var driver = driver()
        driver.press(.character("]"))
        driver.select("xks-ledger")
        driver.press(.character("e"))
        let edit = try! #require(form(driver))
        let enabled = edit.fields.filter { $0.disabledReason == nil }.map(\.id)
        #expect(enabled == [.name, .proxyConfigurationFile, .uriPath, .accessKeyId, .secretAccessKey])
        let settings = KeyStoreRules.verdict(for: .editSettings, on: driver.state.stores[Fixtures.ledgerId]!).reason
        #expect(edit.field(.uriEndpoint)?.disabledReason == settings)
        #expect(driver.frame().text.contains("disconnect first: connectivity, endpoint and VPC"))
        #expect(!driver.frame().text.contains("VPC service name"), "the connectivity is public: no VPC fields, greyed or not")
    }

    @Test func theEditOfAVPCStoreShowsItsVPCFields() {
        var driver = driver()
        driver.press(.character("]"))
        driver.select("xks-vault")
        driver.press(.character("e"))
        let text = driver.frame().text
        #expect(text.contains("VPC service name") && text.contains("vpce-svc-0123456789abcdef0"), "\(text)")
        #expect(text.contains("VPC service owner") && text.contains("111122223333"), "\(text)")
    }

    @Test func editSendsWhatChangedAndTheCredentialWhole() {
        var driver = driver()
        driver.press(.character("]"))
        driver.select("xks-ledger")
        driver.press(.character("e"))
        // To the access key ID: a new one without its secret is refused here, before anything is sent.
        while form(driver)?.fields[form(driver)!.focus].id != .accessKeyId { driver.press(.tab) }
        driver.press(.control("u"))
        driver.type("ABCDEFGHIJKLMNOPQRST")
        var effects = driver.press(.control("s"))
        #expect(effects.isEmpty)
        #expect(form(driver)?.problem?.field == .secretAccessKey)
        #expect(form(driver)?.fields[form(driver)!.focus].id == .secretAccessKey)
        driver.type(Fixtures.secret)
        effects = driver.press(.control("s"))
        let expected = UpdateKeyStoreRequest(customKeyStoreId: Fixtures.ledgerId, xksProxyCredential: XKSProxyCredential(
            accessKeyId: "ABCDEFGHIJKLMNOPQRST", rawSecretAccessKey: Fixtures.secret))
        #expect(effects == [.update(expected)])
        let logged = driver.state.log.entries.last?.text ?? ""
        #expect(logged.contains("--xks-proxy-authentication-credential AccessKeyId=ABCDEFGHIJKLMNOPQRST,RawSecretAccessKey=<secret-access-key>"))
        #expect(!logged.contains(Fixtures.secret), "the secret never reaches the log")
    }

    @Test func theSecretIsMaskedUntilCtrlR() {
        var driver = driver()
        driver.press(.character("]"))
        driver.press(.character("n"))
        #expect(form(driver)?.kind == .createExternal)
        while form(driver)?.fields[form(driver)!.focus].id != .secretAccessKey { driver.press(.tab) }
        driver.type(Fixtures.secret)
        #expect(!driver.frame().text.contains(Fixtures.secret))
        #expect(driver.frame().text.contains("Ctrl-R shows it"))
        driver.press(.control("r"))
        #expect(driver.frame().text.contains(Fixtures.secret))
        driver.press(.control("r"))
        #expect(!driver.frame().text.contains(Fixtures.secret))
    }

    @Test func vpcFieldsOpenWithVPCConnectivity() {
        var driver = driver()
        driver.press(.character("]"))
        driver.press(.character("n"))
        #expect(form(driver)?.field(.vpcServiceName)?.disabledReason == Forms.vpcOnlyReason)
        #expect(!driver.frame().text.contains("VPC service name"), "a public endpoint's form has no VPC fields")
        driver.press(.tab)
        #expect(form(driver)?.fields[form(driver)!.focus].id == .connectivity)
        driver.type("x")
        #expect(form(driver)?.value(.connectivity) == "Public endpoint", "typing does not change a choice")
        driver.press(.right)
        #expect(form(driver)?.value(.connectivity) == "VPC endpoint service")
        #expect(form(driver)?.field(.vpcServiceName)?.disabledReason == nil)
        #expect(driver.frame().text.contains("VPC service name") && driver.frame().text.contains("VPC service owner"))
        driver.press(.tab)
        #expect(form(driver)?.fields[form(driver)!.focus].id == .vpcServiceName)
    }

    @Test func aProxyConfigurationFileFillsPathAndCredentialThenCreate() {
        var driver = driver()
        driver.press(.character("]"))
        driver.press(.character("n"))
        driver.type("xks-new")
        driver.press(.tab, .tab)
        driver.type("https://xks.new.example.com")
        driver.press(.tab)
        driver.type("/tmp/proxy.json")
        let effects = driver.press(.tab)
        #expect(effects == [.readProxyConfiguration(path: "/tmp/proxy.json", thenSubmit: false)])
        let file = ProxyConfigurationFile(uriPath: "/new/kms/xks/v1",
                                          credential: XKSProxyCredential(accessKeyId: Fixtures.accessKeyId, rawSecretAccessKey: Fixtures.secret))
        driver.send(.proxyConfigurationRead(path: "/tmp/proxy.json", .success(file), thenSubmit: false))
        #expect(form(driver)?.value(.uriPath) == "/new/kms/xks/v1")
        #expect(form(driver)?.value(.accessKeyId) == Fixtures.accessKeyId)
        #expect(form(driver)?.value(.secretAccessKey) == Fixtures.secret)
        #expect(driver.frame().text.contains("URI path and credential filled in from it"))
        let created = driver.press(.control("s"))
        let request = CreateKeyStoreRequest(name: "xks-new", external: XKSProxySettings(
            connectivity: .publicEndpoint, uriEndpoint: "https://xks.new.example.com", uriPath: "/new/kms/xks/v1",
            credential: XKSProxyCredential(accessKeyId: Fixtures.accessKeyId, rawSecretAccessKey: Fixtures.secret)))
        #expect(created == [.createKeyStore(request)])
    }

    @Test func aFileNotYetReadIsReadBeforeTheCreateAndABadOneSaysWhy() {
        var driver = driver()
        driver.press(.character("]"))
        driver.press(.character("n"))
        while form(driver)?.fields[form(driver)!.focus].id != .proxyConfigurationFile { driver.press(.tab) }
        driver.type("/tmp/bad.json")
        #expect(driver.press(.control("s")) == [.readProxyConfiguration(path: "/tmp/bad.json", thenSubmit: true)])
        let problem = FormState.Problem(field: .proxyConfigurationFile, message: "/tmp/bad.json is not a JSON object.")
        driver.send(.proxyConfigurationRead(path: "/tmp/bad.json", .failure(problem), thenSubmit: true))
        #expect(form(driver)?.problem == problem)
        #expect(form(driver)?.submitting == false)
        #expect(driver.frame().text.contains("/tmp/bad.json is not a JSON object."))
    }

    @Test func theFileReaderChecksItsShape() throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "cks-proxy-file-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let good = folder.appending(path: "proxy.json")
        try Data(#"{"XksProxyUriPath": "/p/kms/xks/v1", "XksProxyAuthenticationCredential": {"AccessKeyId": "\#(Fixtures.accessKeyId)", "RawSecretAccessKey": "\#(Fixtures.secret)"}}"#.utf8).write(to: good)
        #expect(ProxyConfigurationFile.read(good.path) == .success(ProxyConfigurationFile(
            uriPath: "/p/kms/xks/v1", credential: XKSProxyCredential(accessKeyId: Fixtures.accessKeyId, rawSecretAccessKey: Fixtures.secret))))
        let partial = folder.appending(path: "partial.json")
        try Data(#"{"XksProxyUriPath": "/p/kms/xks/v1"}"#.utf8).write(to: partial)
        guard case let .failure(problem) = ProxyConfigurationFile.read(partial.path) else { Issue.record("accepted"); return }
        #expect(problem.field == .proxyConfigurationFile)
        #expect(problem.message.contains("lacks XksProxyAuthenticationCredential"))
        guard case let .failure(missing) = ProxyConfigurationFile.read(folder.appending(path: "none.json").path) else { return }
        #expect(missing.message.contains("There is no file"))
    }

    @Test func createKeyInAnExternalStoreAsksForTheExternalKeyID() {
        var driver = driver()
        driver.press(.character("]"))
        driver.select("xks-ledger")
        driver.press(.enter)
        driver.press(.character("N"))
        #expect(form(driver)?.kind == .createKey(storeId: Fixtures.ledgerId))
        #expect(driver.press(.control("s")).isEmpty)
        #expect(form(driver)?.problem?.field == .xksKeyId)
        driver.type("ledger-key-2")
        let effects = driver.press(.control("s"))
        #expect(effects == [.createKey(storeId: Fixtures.ledgerId, description: "", xksKeyId: "ledger-key-2")])
        #expect(driver.state.log.entries.last?.copyText
            == "aws kms create-key --custom-key-store-id \(Fixtures.ledgerId) --origin EXTERNAL_KEY_STORE --xks-key-id ledger-key-2")
        driver.send(.keyCreateFailed(storeId: Fixtures.ledgerId, KMSError(.xksKeyNotFound, "The external key was not found.")))
        #expect(form(driver)?.errorField == .xksKeyId)
        var key = Fixtures.externalKeys[Fixtures.ledgerId]![0]
        key.xksKeyId = "ledger-key-2"
        driver.send(.keyCreated(storeId: Fixtures.ledgerId, key))
        #expect(driver.state.modal == nil)
        #expect(driver.state.status?.text.hasSuffix("on external key ledger-key-2.") == true)
    }

    @Test func createKeyIsRefusedUnlessConnected() {
        var driver = driver()
        driver.press(.character("]"))
        driver.select("xks-vault")
        driver.press(.character("N"))
        #expect(driver.state.modal == nil)
        #expect(driver.state.status?.text == "Cannot create a KMS key in xks-vault: connect first: keys can be created only in a CONNECTED store.")
    }

    @Test func theDetailShowsTheProxyItsHealthAndItsRequests() {
        var driver = driver(size: Size(width: 120, height: 80))
        driver.press(.character("]"))
        driver.select("xks-ledger")
        let effects = driver.press(.enter)
        #expect(effects.contains(.loadProxyObservation(storeId: Fixtures.ledgerId)))
        driver.state.log.visible = false
        driver.send(.keysLoaded(storeId: Fixtures.ledgerId, Fixtures.externalKeys[Fixtures.ledgerId]!))
        driver.send(.proxyObservationLoaded(storeId: Fixtures.ledgerId, ProxyObservation(health: Fixtures.health, requests: Fixtures.proxyRequests)))
        let text = driver.frame().text
        for needle in ["Custom key stores › External key stores › xks-ledger", "External key store proxy configuration",
                       "Proxy connectivity  Public endpoint", "Proxy URI endpoint  https://xks.ledger.example.com",
                       "Proxy URI path      /ledger/kms/xks/v1", "Access key ID       \(Fixtures.accessKeyId)",
                       "Checked             2026-11-29 11:58  2 min ago  · KmsHealthCheck", "Latency             4.2 ms",
                       "Proxy               cks xks-proxy 1.0  fleet of 2", "ekm-2", "DEGRADED",
                       "11:59:00  encrypt   Encrypt                 3.1 ms    200", "EXTERNAL KEY ID", "ledger-key-1"] {
            #expect(text.contains(needle), "\(needle)\n\(text)")
        }
        #expect(!text.contains("Trust anchor certificate"))
        driver.send(.proxyObservationLoaded(storeId: Fixtures.ledgerId, nil))
        #expect(driver.frame().text.contains("This backend does not report proxy health"))
    }

    @Test func aFailedHealthCheckShowsItsCode() {
        var driver = driver(size: Size(width: 120, height: 60))
        driver.press(.character("]"))
        driver.select("xks-ledger")
        driver.press(.enter)
        let failed = XKSProxyHealth(checkedAt: Fixtures.now, kmsOperation: "KmsHealthCheck", latency: 0.5,
                                    outcome: .failed(code: .xksProxyTimedOut, detail: "no answer within 250 ms, twice"))
        driver.send(.proxyObservationLoaded(storeId: Fixtures.ledgerId, ProxyObservation(health: failed, requests: [])))
        let text = driver.frame().text
        #expect(text.contains("✗ XKS_PROXY_TIMED_OUT"))
        #expect(text.contains("500 ms  over KMS's 250 ms timeout"))
        #expect(text.contains("None: the proxy is not the local one"))
    }

    @Test func repairOfAWrongPathOpensTheEditOnThePathAndConnects() {
        var driver = driver()
        driver.press(.character("]"))
        driver.select("xks-partner")
        driver.press(.character("f"))
        #expect(driver.state.repairs[Fixtures.partnerId]?.stages == [.disconnect, .edit, .connect])
        driver.press(.tab, .enter)
        driver.event(.connectionStateChanged(from: .failed, to: .disconnected, errorCode: nil), store: Fixtures.partnerId)
        let edit = try! #require(form(driver))
        #expect(edit.fields[edit.focus].id == .uriPath)
        #expect(edit.notice?.hasPrefix("Repair of XKS_PROXY_INVALID_CONFIGURATION, step 2 of 3") == true)
        driver.press(.control("u"))
        driver.type("/ledger/kms/xks/v1")
        #expect(driver.press(.control("s")) == [.update(UpdateKeyStoreRequest(customKeyStoreId: Fixtures.partnerId,
                                                                              xksProxyUriPath: "/ledger/kms/xks/v1"))])
        driver.send(.updated(storeId: Fixtures.partnerId))
        #expect(driver.state.modal == .connectAfterRepair(storeId: Fixtures.partnerId, focus: 1))
        #expect(driver.press(.enter).contains(.startWorkflow(.connect, storeId: Fixtures.partnerId)))
    }

    @Test func theSimulatorsProxyValuesPrefillTheRepairsEdit() {
        var state = Fixtures.loadedWithExternal()
        state.simulatedRepairs = true
        var driver = Driver(state)
        var context = RepairContext(storeId: Fixtures.partnerId, clusterId: nil)
        context.xksUriPath = "/partner/kms/xks/v1"
        driver.send(.repairContextLoaded(storeId: Fixtures.partnerId, context))
        driver.press(.character("]"))
        driver.select("xks-partner")
        driver.press(.character("f"), .tab, .enter)
        // A simulator with no action for the code: the edit comes next, filled in from what it knows.
        driver.send(.xksRepairActionLoaded(storeId: Fixtures.partnerId, code: .xksProxyInvalidConfiguration, nil))
        driver.event(.connectionStateChanged(from: .failed, to: .disconnected, errorCode: nil), store: Fixtures.partnerId)
        #expect(form(driver)?.value(.uriPath) == "/partner/kms/xks/v1")
        #expect(form(driver)?.notice?.contains("what the simulated proxy serves") == true)
    }

    @Test func notReachableRepairsThroughTheEndpointAndSavingNothingGoesOnToConnect() {
        var state = Fixtures.loadedWithExternal()
        var store = state.stores[Fixtures.partnerId]!
        store.connectionErrorCode = .xksProxyNotReachable
        state.stores[store.id] = store
        var driver = Driver(state)
        driver.press(.character("]"))
        driver.select("xks-partner")
        driver.press(.character("f"), .tab, .enter)
        driver.event(.connectionStateChanged(from: .failed, to: .disconnected, errorCode: nil), store: Fixtures.partnerId)
        let edit = try! #require(form(driver))
        #expect(edit.fields[edit.focus].id == .uriEndpoint, "disconnected, the endpoint can change")
        #expect(driver.press(.control("s")).isEmpty)
        #expect(driver.state.modal == .connectAfterRepair(storeId: Fixtures.partnerId, focus: 1))
        let guide = RepairGuide(store: driver.state.stores[Fixtures.partnerId]!, repair: driver.state.repairs[Fixtures.partnerId], context: nil)
        #expect(guide.title(of: .fix, simulated: false) == "fix at the proxy")
    }
}

/// The console against a service that reports its proxies (`XKSProxyObservation`).
@Suite("External key stores against a service")
@MainActor
struct ExternalKeyStoreServiceTests {
    @Test func theDetailLoadsTheProxysHealthAndRequests() async {
        let service = FakeKeyStoreService(stores: Fixtures.stores + Fixtures.externalStores)
        await service.setProxy(health: Fixtures.health, requests: Fixtures.proxyRequests, of: Fixtures.ledgerId)
        let console = HeadlessConsole(service: service)
        defer { console.stop() }
        console.start()
        #expect(await console.waitUntil { $0.stores.count == 9 })
        console.press(.character("]"))
        console.select("xks-ledger")
        console.press(.enter)
        #expect(await console.waitUntil { $0.proxyObservations[Fixtures.ledgerId]?.value != nil })
        #expect(console.state.proxyObservations[Fixtures.ledgerId] == .loaded(ProxyObservation(health: Fixtures.health,
                                                                                             requests: Fixtures.proxyRequests)))
    }

    @Test func anEditReachesTheServiceWithOnlyThePath() async {
        let service = FakeKeyStoreService(stores: Fixtures.stores + Fixtures.externalStores)
        let console = HeadlessConsole(service: service)
        defer { console.stop() }
        console.start()
        #expect(await console.waitUntil { $0.stores.count == 9 })
        console.press(.character("]"))
        console.select("xks-ledger")
        console.press(.character("e"))
        for _ in 0..<2 { console.press(.tab) }
        console.press(.control("u"))
        for character in "/v2ledger/kms/xks/v1" { console.press(.character(character)) }
        console.press(.control("s"))
        #expect(await console.waitUntil { $0.stores[Fixtures.ledgerId]?.xksProxyConfiguration?.uriPath == "/v2ledger/kms/xks/v1" })
        #expect(await service.lastUpdateRequest() == UpdateKeyStoreRequest(customKeyStoreId: Fixtures.ledgerId,
                                                                           xksProxyUriPath: "/v2ledger/kms/xks/v1"))
    }
}
