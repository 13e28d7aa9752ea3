import ArgumentParser
import Foundation
import KeyStoreEngine
import Simulator

/// `cks sim` for external key stores: the world's routes to proxy hosts, VPC endpoint service faults, and a KMS
/// internal error at a store's next connect. Proxy faults belong to the proxy (`cks xks-proxy fault`).
extension Sim {
    static let xksSubcommands: [any ParsableCommand.Type] = [
        XKSRoute.self, XKSRoutes.self, XKSUnroute.self, XKSEndpointService.self, XKSEndpointServices.self, XKSInternalError.self,
    ]

    struct XKSRoute: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "xks-route",
            abstract: "Send the simulated KMS's connections to a proxy host to an address, or to the embedded proxy.",
            discussion: """
                Like curl's --resolve: an XksProxyUriEndpoint keeps its real host name (https://xks.example.com, \
                port 443), and the world decides where connections to it go. TLS still checks the certificate \
                against HOST, trusting only the cks CA.
                  cks sim xks-route xks.example.com embedded         the proxy cks runs in process ($CKS_HOME/xks-proxy)
                  cks sim xks-route xks.example.com 127.0.0.1:8443   a `cks xks-proxy serve --port 8443`
                A host without a route does not resolve: a connect ends XKS_PROXY_NOT_REACHABLE.
                """
        )
        @Argument(help: ArgumentHelp("The proxy host, as in the store's XksProxyUriEndpoint (xks.example.com).", valueName: "host"))
        var host: String
        @Argument(help: ArgumentHelp("embedded, or ADDRESS:PORT.", valueName: "target"))
        var target: String
        @OptionGroup var world: WorldOptions

        func validate() throws {
            do throws(KMSError) {
                _ = try XKSRouteTarget(parsing: target)
                _ = try Simulator.XKSRoute.normalizedHost(host)
            } catch {
                throw ValidationError(error.message)
            }
        }

        func run() async throws {
            try await reportingErrors {
                try world.refuseIfReadOnly("change the simulated world")
                let service = try world.openSimulator(drive: false, command: "`cks sim`")
                print(try await service.apply(.routeXKSHost(host: host, target: try XKSRouteTarget(parsing: target))))
            }
        }
    }

    struct XKSRoutes: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "xks-routes", abstract: "Show where the world sends connections to each proxy host.")
        @OptionGroup var world: WorldOptions

        func run() async throws {
            try await reportingErrors {
                let service = try world.openSimulator(drive: false, command: "`cks sim`")
                let routes = try await service.xksRoutes()
                if routes.isEmpty {
                    print("No routes: every proxy host is unreachable. Add one with `cks sim xks-route HOST embedded|ADDRESS:PORT`.")
                    return
                }
                let width = routes.map(\.host.count).max() ?? 0
                for route in routes {
                    let target = route.target == .embedded ? "embedded (the proxy cks runs in process)" : route.target.description
                    print(route.host.padding(toLength: width, withPad: " ", startingAt: 0) + "  → " + target)
                }
            }
        }
    }

    struct XKSUnroute: FaultCommand {
        static let configuration = CommandConfiguration(
            commandName: "xks-unroute", abstract: "Remove a proxy host's route: it no longer resolves (→ XKS_PROXY_NOT_REACHABLE).")
        @Argument(help: ArgumentHelp("The proxy host.", valueName: "host")) var host: String
        @OptionGroup var world: WorldOptions
        var fault: WorldFault { .unrouteXKSHost(host: host) }
    }

    struct XKSEndpointService: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "xks-endpoint-service",
            abstract: "Break a simulated VPC endpoint service, or repair it (clear).",
            discussion: """
                Every endpoint service exists and meets KMS's requirements unless given a fault here:
                  not-found             deleted, or wrong name/Region        XKS_VPC_ENDPOINT_SERVICE_NOT_FOUND
                  kms-not-allowed       KMS's principal is not allowed       XKS_VPC_ENDPOINT_SERVICE_NOT_FOUND
                  dns-unverified        private DNS name not verified        XKS_VPC_ENDPOINT_SERVICE_INVALID_CONFIGURATION
                  acceptance-required   connections need acceptance          XKS_VPC_ENDPOINT_SERVICE_INVALID_CONFIGURATION
                  one-zone              load balancer in one zone            XKS_VPC_ENDPOINT_SERVICE_INVALID_CONFIGURATION
                  clear                 meets the requirements again
                Create and Update of a VPC store throw the matching XksProxyVpcEndpointService*Exception.
                """
        )
        @Argument(help: ArgumentHelp("The endpoint service name (com.amazonaws.vpce.us-east-1.vpce-svc-…).", valueName: "name"))
        var name: String
        @Argument(help: ArgumentHelp("A fault (see above) or clear.", valueName: "fault"))
        var faultName: String
        @OptionGroup var world: WorldOptions

        func run() async throws {
            try await reportingErrors {
                try world.refuseIfReadOnly("change the simulated world")
                let service = try world.openSimulator(drive: false, command: "`cks sim`")
                let change: WorldFault = XKSEndpointServiceFault(rawValue: faultName).map { .breakEndpointService(name: name, fault: $0) }
                    ?? .repairEndpointService(name: name)
                print(try await service.apply(change))
            }
        }

        static var faultNames: String { (XKSEndpointServiceFault.allCases.map(\.rawValue) + ["clear"]).joined(separator: ", ") }

        func validate() throws {
            if faultName != "clear" && XKSEndpointServiceFault(rawValue: faultName) == nil {
                throw ValidationError("\(faultName) is not an endpoint service fault: use \(Self.faultNames).")
            }
        }
    }

    struct XKSEndpointServices: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "xks-endpoint-services",
                                                        abstract: "Show the VPC endpoint services with a fault.")
        @OptionGroup var world: WorldOptions

        func run() async throws {
            try await reportingErrors {
                let service = try world.openSimulator(drive: false, command: "`cks sim`")
                let faults = try await service.endpointServiceFaults()
                if faults.isEmpty { print("Every VPC endpoint service meets KMS's requirements.") }
                for (name, fault) in faults {
                    print("\(name)  \(fault.rawValue) → \(fault.connectionErrorCode.rawValue)  (`cks sim xks-endpoint-service \(name) clear` repairs it)")
                }
            }
        }
    }

    struct XKSInternalError: FaultCommand {
        static let configuration = CommandConfiguration(
            commandName: "xks-internal-error",
            abstract: "Make the next connect of a key store meet a KMS internal error (→ INTERNAL_ERROR).")
        @Argument(help: ArgumentHelp("The key store ID.", valueName: "store-id")) var store: String
        @OptionGroup var world: WorldOptions
        var fault: WorldFault { .injectKeyStoreInternalError(keyStoreId: store) }
    }
}
