import CKSTestSupport
import Foundation
@testable import Console
import KeyStoreEngine
import Simulator
import Testing

/// The console's guided repair of external key stores against the real simulator and its embedded proxy: each
/// XKS code arises from what the wire does (no route, a proxy fault, a retired credential, a wrong path, an
/// endpoint service fault), then `f` and Enter through the repair's dialogs (the simulated fix the simulator names,
/// the edit filled in from what the fix found, the connect) until the store is CONNECTED.
@Suite("Guided repair of external key stores on the simulator", .serialized,
       .enabled(if: Executables.builtCKS != nil, "no cks binary next to the test bundle (it sets up the proxy)"))
@MainActor
struct XKSGuidedRepairOnSimulatorTests {
    static let host = "xks.console.example.com"
    static let prefix = "/console"
    static let service = "com.amazonaws.vpce.us-east-1.vpce-svc-0c0n501e0000000a1"

    /// What breaks the store, the code its connect ends with and the simulated fix the simulator names.
    enum Breakage: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case noRoute, retiredCredential, wrongUriPath, certificateForAnotherHost, accessDenied, nonJSONAnswer
        case endpointServiceNotFound, privateDNSUnverified, kmsInternalError

        var testDescription: String { rawValue }

        var code: ConnectionErrorCode {
            switch self {
            case .noRoute: .xksProxyNotReachable
            case .retiredCredential: .invalidCredentials
            case .wrongUriPath: .xksProxyInvalidConfiguration
            case .certificateForAnotherHost: .xksProxyInvalidTLSConfiguration
            case .accessDenied: .xksProxyAccessDenied
            case .nonJSONAnswer: .xksProxyInvalidResponse
            case .endpointServiceNotFound: .xksVPCEndpointServiceNotFound
            case .privateDNSUnverified: .xksVPCEndpointServiceInvalidConfiguration
            case .kmsInternalError: .internalError
            }
        }

        var action: SimulatedRepairAction? {
            switch self {
            case .noRoute: .routeProxyHost
            case .retiredCredential: .useProxyCredential
            case .wrongUriPath: .useProxyUriPath
            case .certificateForAnotherHost: .reissueProxyCertificate
            case .accessDenied, .nonJSONAnswer: .clearProxyFaults
            case .endpointServiceNotFound, .privateDNSUnverified: .repairEndpointService
            case .kmsInternalError: nil
            }
        }

        /// The `cks xks-proxy fault` arguments, set before the proxy first starts (a VPC store's Create does not call it).
        var proxyFault: [String]? {
            switch self {
            case .certificateForAnotherHost: ["certificate", "wrong-host"]
            case .accessDenied: ["error", "403"]
            case .nonJSONAnswer: ["garbage", "non-json"]
            default: nil
            }
        }
    }

    @Test("f, then Enter through each dialog, ends CONNECTED", arguments: Breakage.allCases)
    func repairEndsConnected(_ breakage: Breakage) async throws {
        let home = FileManager.default.temporaryDirectory.appending(path: "cks-console-xks-repair-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        var environment = ProcessInfo.processInfo.environment
        environment["CKS_HOME"] = home.path
        let cks = try #require(Executables.builtCKS).path
        let configuration = try await Spawn.run(cks, ["xks-proxy", "init", "--uri-path-prefix", Self.prefix, "--output", "json"],
                                                environment: environment)
        let credential = try Self.credential(in: configuration)
        if let fault = breakage.proxyFault { try await Spawn.run(cks, ["xks-proxy", "fault"] + fault, environment: environment) }

        // A debug build's TLS handshake on a loaded machine can take longer than KMS's 250 ms.
        let service = try SimulatorService.open(home: home, pace: .instant, drive: true, seed: .empty, xksTimeout: .seconds(15))
        defer { service.close() }
        try await service.apply(.routeXKSHost(host: Self.host, target: .embedded))
        let path = breakage == .wrongUriPath ? "/elsewhere/kms/xks/v1" : Self.prefix + "/kms/xks/v1"
        let settings = breakage == .noRoute
            ? XKSProxySettings(connectivity: .publicEndpoint, uriEndpoint: "https://\(Self.host)", uriPath: path, credential: credential)
            : XKSProxySettings(connectivity: .vpcEndpointService, uriEndpoint: "https://\(Self.host)", uriPath: path, credential: credential,
                               vpcEndpointServiceName: Self.service)
        let store = try await service.createKeyStore(CreateKeyStoreRequest(name: "xks-console", external: settings))
        switch breakage {
        case .noRoute: try await service.apply(.unrouteXKSHost(host: Self.host))
        case .retiredCredential:
            try await Spawn.run(cks, ["xks-proxy", "rotate-credential"], environment: environment)
            try await Spawn.run(cks, ["xks-proxy", "rotate-credential", "--retire", credential.accessKeyId], environment: environment)
        case .endpointServiceNotFound: try await service.apply(.breakEndpointService(name: Self.service, fault: .notFound))
        case .privateDNSUnverified: try await service.apply(.breakEndpointService(name: Self.service, fault: .dnsUnverified))
        case .kmsInternalError: try await service.apply(.injectKeyStoreInternalError(keyStoreId: store))
        default: break
        }

        let console = HeadlessConsole(service: service)
        defer { console.stop() }
        console.start()
        #expect(await console.waitUntil { $0.stores[store] != nil })
        try await service.connectKeyStore(id: store)
        #expect(await console.waitUntil(within: .testWaitBound) { $0.stores[store]?.connectionState == .failed }, "\(breakage): FAILED first")
        #expect(console.state.stores[store]?.connectionErrorCode == breakage.code)

        console.press(.character("]"))
        console.select("xks-console")
        console.press(.character("f"))
        #expect(console.state.screen == .detail(storeId: store))
        guard case .disconnect? = console.state.modal else { Issue.record("\(breakage): no disconnect confirmation"); return }
        console.press(.tab, .enter)

        var seen: [AppState.Repair.Stage] = [.disconnect]
        var edited: FormState?
        for _ in 0..<4 {
            let moved = await console.waitUntil(within: .testWaitBound) { state in
                state.stores[store]?.connectionState == .connected && state.repairs[store] == nil || Self.dialogStage(state, store) != nil
            }
            #expect(moved, "\(breakage): stuck after \(seen); \(console.state.status?.text ?? "")")
            guard moved, let stage = Self.dialogStage(console.state, store) else { break }
            seen.append(stage)
            if stage == .fix {
                #expect(console.state.repairs[store]?.simulatorAction == breakage.action, "\(breakage)")
                #expect(console.frame.text.contains("simulated fix"), "\(breakage)")
            }
            if stage == .edit, case let .form(form)? = console.state.modal { edited = form }
            console.press(stage == .edit ? .control("s") : .enter)
        }
        let expected: [AppState.Repair.Stage] = switch breakage {
        case .retiredCredential, .wrongUriPath: [.disconnect, .fix, .edit, .connect]
        case .kmsInternalError: [.disconnect, .connect]
        default: [.disconnect, .fix, .connect]
        }
        #expect(seen == expected, "\(breakage)")
        switch breakage {
        case .retiredCredential:
            #expect(edited?.value(.accessKeyId).isEmpty == false && edited?.value(.accessKeyId) != credential.accessKeyId,
                    "the proxy's new credential is filled in")
        case .wrongUriPath: #expect(edited?.value(.uriPath) == Self.prefix + "/kms/xks/v1", "the path the proxy serves is filled in")
        default: break
        }
        #expect(console.state.stores[store]?.connectionState == .connected, "\(breakage): CONNECTED at the end")
        #expect(console.state.status?.text == "Repaired: xks-console is CONNECTED.", "\(breakage)")
        await service.shutdownProxyConnections()
    }

    /// The repair dialog open now, as the stage it carries out.
    static func dialogStage(_ state: AppState, _ store: String) -> AppState.Repair.Stage? {
        switch state.modal {
        case .simulatedFix?: .fix
        case let .form(form)? where form.kind == .edit(storeId: store) && !form.submitting: .edit
        case .connectAfterRepair?: .connect
        default: nil
        }
    }

    /// The credential of a proxy configuration file.
    static func credential(in configuration: String) throws -> XKSProxyCredential {
        struct File: Decodable {
            struct Credential: Decodable { var AccessKeyId: String; var RawSecretAccessKey: String }
            var XksProxyAuthenticationCredential: Credential
        }
        let file = try JSONDecoder().decode(File.self, from: Data(configuration.utf8))
        return XKSProxyCredential(accessKeyId: file.XksProxyAuthenticationCredential.AccessKeyId,
                                  rawSecretAccessKey: file.XksProxyAuthenticationCredential.RawSecretAccessKey)
    }
}
