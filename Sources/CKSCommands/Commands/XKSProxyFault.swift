import ArgumentParser
import Foundation
import XKS
import XKSProxy

/// `cks xks-proxy fault`: break the proxy the way real deployments break; faults last until cleared.
struct XKSProxyFault: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fault",
        abstract: "Inject a fault into the proxy (it lasts, shows in status, and a running serve follows it).",
        discussion: """
            Faults:
              key-manager ACTIVE|DEGRADED|UNAVAILABLE [--instance N]   health of one instance, or all
              latency MS                  add MS milliseconds before every answer (KMS gives up after 250)
              error 403|429|500|503       answer every signed request with AccessDenied/Throttling/Internal/DependencyTimeout
              garbage non-json|missing-fields   answer with an HTML page, or JSON without required fields
              refuse-credential ACCESS_KEY_ID   refuse a configured credential (AuthenticationFailedException)
              certificate expired|wrong-host    serve an expired certificate, or one for another host name
              stop-listening              close the port and every connection
              clear [NAME]                remove one fault (by the names above), or all of them
            """
    )

    @Argument(help: ArgumentHelp("The fault (see above).", valueName: "name"))
    var name: String

    @Argument(help: ArgumentHelp("Its value.", valueName: "value"))
    var value: String?

    @Option(help: ArgumentHelp("With key-manager: the instance (1-based); all instances when not given.", valueName: "n"))
    var instance: Int?

    func run() async throws {
        try await XKSProxyCLI.run {
            let database = try XKSProxyCLI.open()
            defer { database.close() }
            let instances = try database.snapshot().keyManagerInstances
            let faults = try database.updateFaults { faults throws(XKSProxyError) in
                try Self.apply(name: name, value: value, instance: instance, instances: instances, to: &faults)
            }
            let summary = faults.summary
            emit(summary.isEmpty ? "No faults: the proxy behaves normally." : "Active faults:")
            for line in summary { emit("  \(line)") }
        }
    }

    static func apply(
        name: String, value: String?, instance: Int?, instances: Int, to faults: inout ProxyFaults
    ) throws(XKSProxyError) {
        func need(_ what: String) throws(XKSProxyError) -> String {
            guard let value else { throw XKSProxyError("The \(name) fault needs \(what).") }
            return value
        }
        if instance != nil && name != "key-manager" { throw XKSProxyError("--instance only applies to the key-manager fault.") }
        switch name {
        case "key-manager":
            guard let status = XKSHealthStatus(rawValue: try need("ACTIVE, DEGRADED or UNAVAILABLE").uppercased()) else {
                throw XKSProxyError("\(value ?? "") is not a health status: use ACTIVE, DEGRADED or UNAVAILABLE.")
            }
            if let instance {
                guard (1...instances).contains(instance) else {
                    throw XKSProxyError("The key manager has instances 1 to \(instances); --instance \(instance) is not one.")
                }
                faults.keyManager[instance] = status == .active && faults.keyManager[0] == nil ? nil : status
            } else {
                faults.keyManager = status == .active ? [:] : [0: status]
            }
        case "latency":
            guard let milliseconds = Int(try need("milliseconds")), (0...60_000).contains(milliseconds) else {
                throw XKSProxyError("latency takes milliseconds from 0 to 60000.")
            }
            faults.latencyMilliseconds = milliseconds == 0 ? nil : milliseconds
        case "error":
            guard let status = Int(try need("403, 429, 500 or 503")), ProxyFaults.errorStatuses[status] != nil else {
                throw XKSProxyError("error takes 403, 429, 500 or 503.")
            }
            faults.errorStatus = status
        case "garbage":
            guard let kind = ProxyFaults.Garbage(rawValue: try need("non-json or missing-fields")) else {
                throw XKSProxyError("garbage takes non-json or missing-fields.")
            }
            faults.garbage = kind
        case "refuse-credential":
            let id = try need("an access key id")
            if !faults.refusedAccessKeyIds.contains(id) { faults.refusedAccessKeyIds.append(id) }
        case "certificate":
            guard let kind = ProxyFaults.CertificateFault(rawValue: try need("expired or wrong-host")) else {
                throw XKSProxyError("certificate takes expired or wrong-host.")
            }
            faults.certificate = kind
        case "stop-listening":
            faults.stopListening = true
        case "clear":
            try clear(value, in: &faults)
        default:
            throw XKSProxyError("\(name) is not a fault: use key-manager, latency, error, garbage, refuse-credential, certificate, stop-listening or clear.")
        }
    }

    private static func clear(_ name: String?, in faults: inout ProxyFaults) throws(XKSProxyError) {
        switch name {
        case nil, "all": faults = ProxyFaults()
        case "key-manager": faults.keyManager = [:]
        case "latency": faults.latencyMilliseconds = nil
        case "error": faults.errorStatus = nil
        case "garbage": faults.garbage = nil
        case "refuse-credential": faults.refusedAccessKeyIds = []
        case "certificate": faults.certificate = nil
        case "stop-listening": faults.stopListening = false
        case let other?: throw XKSProxyError("clear takes a fault name (key-manager, latency, error, garbage, refuse-credential, certificate, stop-listening) or nothing for all; \(other) is not one.")
        }
    }
}
