import Console
import Foundation
import KeyStoreEngine

/// The text of `cks describe`: the store's fields, its cluster or proxy, why it is FAILED and the fix, the proxy's
/// last health answer, the last connect or disconnect step by step, and its keys.
struct StoreDescription {
    var facts: StoreFacts
    var style: TextStyle
    var now: Date

    private var store: CustomKeyStore { facts.store }

    var text: String {
        var sections = [general()]
        if store.connectionState == .failed { sections.append(failure()) }
        sections.append(store.type == .externalKeyStore ? proxy() + [""] + proxyHealth() : cluster())
        sections.append(timeline())
        return sections.map { $0.joined(separator: "\n") }.joined(separator: "\n\n")
    }

    // MARK: Sections

    private func general() -> [String] {
        var lines = [style.bold(store.name) + "  " + store.id]
        lines.append(field("Type", "\(store.type == .externalKeyStore ? "External key store" : "AWS CloudHSM key store") (\(store.type.rawValue))"))
        lines.append(field("State", style.badge(store.connectionState, errorCode: store.connectionErrorCode)))
        lines.append(field("Created", Self.date(store.creationDate)))
        lines.append(field("KMS keys", keys()))
        return lines
    }

    private func keys() -> String {
        switch facts.keys {
        case let .failure(error): return "not listed: \(error.code.rawValue): \(error.message)"
        case let .success(keys) where keys.isEmpty: return "none"
        case let .success(keys):
            let states = KeyState.allCases.compactMap { state -> String? in
                let count = keys.count { $0.keyState == state }
                return count == 0 ? nil : "\(count) \(KeyStateText.paint(state, style: style))"
            }.joined(separator: ", ")
            return "\(keys.count) (\(states))  " + style.dim("cks keys \(store.name)")
        }
    }

    private func failure() -> [String] {
        guard let code = store.connectionErrorCode else { return [style.bold("Why it is FAILED"), "  KMS gave no ConnectionErrorCode."] }
        let fix = FixText.lines(code, store: store, context: facts.context, style: style)
        let heading = style.bold("Why it is FAILED: ") + style.red(code.rawValue)
        guard !fix.isEmpty else { return [heading, "  The troubleshooting catalogue has no entry for this code: disconnect, fix the cause, connect."] }
        return [heading] + fix.map { "  " + $0 }
    }

    private func cluster() -> [String] {
        var lines = [style.bold("CloudHSM cluster")]
        lines.append(field("Cluster ID", store.cloudHsmClusterId ?? "-"))
        if let cluster = facts.cluster {
            let zones = Set(cluster.activeHSMs.map(\.availabilityZone)).sorted().joined(separator: ", ")
            let hsms = cluster.activeHSMs.count == 1 ? "1 ACTIVE HSM" : "\(cluster.activeHSMs.count) ACTIVE HSMs"
            lines.append(field("Cluster", "\(cluster.state.rawValue), \(hsms)" + (zones.isEmpty ? "" : " in \(zones)")))
        }
        if let pem = store.trustAnchorCertificate {
            if let certificate = try? CertificateSummary(pem: pem) {
                lines.append(field("Trust anchor", "\(certificate.subject.text), valid until \(Self.date(certificate.notAfter))"))
            } else {
                lines.append(field("Trust anchor", "a PEM certificate (`cks list --id \(store.id) --output json` shows it)"))
            }
        }
        return lines
    }

    private func proxy() -> [String] {
        var lines = [style.bold("External key store proxy")]
        guard let proxy = store.xksProxyConfiguration else { return lines + ["  KMS returned no XksProxyConfiguration for this store."] }
        lines.append(field("Connectivity", "\(proxy.connectivity.displayName) (\(proxy.connectivity.rawValue))"))
        lines.append(field("URI endpoint", proxy.uriEndpoint))
        lines.append(field("URI path", proxy.uriPath))
        lines.append(field("Access key ID", proxy.accessKeyId + "  " + style.dim("(KMS never returns the secret)")))
        if let service = proxy.vpcEndpointServiceName {
            lines.append(field("Endpoint service", service + (proxy.vpcEndpointServiceOwner.map { "  " + style.dim("owner \($0)") } ?? "")))
        }
        return lines
    }

    private func proxyHealth() -> [String] {
        let title = style.bold("Proxy health") + "  " + style.dim("the last GetHealthStatus KMS sent")
        switch facts.health {
        case nil:
            return [title, "  " + style.dim("This backend does not report proxy health (KMS publishes it as CloudWatch metrics).")]
        case let .failure(error)?:
            return [title, "  not read: \(error.code.rawValue): \(error.message)"]
        case .success(nil)?:
            return [title, "  No health check yet: KMS asks the proxy at create, update and connect, and every few minutes while CONNECTED."]
        case let .success(health?)?:
            var lines = [title]
            lines.append(field("Checked", "\(Self.date(health.checkedAt)) (\(RelativeTime.describe(health.checkedAt, now: now))), \(health.kmsOperation)"))
            let slow = health.latency > 0.25 ? "  " + style.yellow("over KMS's 250 ms timeout") : ""
            lines.append(field("Latency", String(format: "%.1f ms", health.latency * 1000) + slow))
            switch health.outcome {
            case let .failed(code, detail):
                lines.append(field("Answer", style.red("\(style.cross) \(code.rawValue)") + " — \(detail)"))
            case let .answered(report):
                let instances = report.ekmFleetDetails
                let unavailable = instances.filter { $0.healthStatus == "UNAVAILABLE" }.count
                lines.append(field("Answer", !instances.isEmpty && unavailable == instances.count
                    ? style.red("\(style.cross) every key manager instance is UNAVAILABLE (KMS: XKS_PROXY_NOT_REACHABLE)")
                    : style.green("\(style.tick) answered")))
                lines.append(field("Proxy", "\(report.xksProxyVendor) \(report.xksProxyModel), fleet of \(report.xksProxyFleetSize)"))
                let states = instances.map { "\($0.id) \($0.healthStatus)" }.joined(separator: ", ")
                lines.append(field("Key manager", report.ekmVendor + (states.isEmpty ? "" : ": \(states)")))
            }
            return lines
        }
    }

    /// The last connect or disconnect, from its start to where it is now.
    private func timeline() -> [String] {
        guard let start = facts.history.lastIndex(where: { if case .workflowStarted = $0.kind { true } else { false } }),
              case let .workflowStarted(kind) = facts.history[start].kind else {
            let last = facts.history.last { $0.newConnectionState != nil }
            var lines = [style.bold("Last connect or disconnect")]
            if let last {
                lines.append("  \(Self.date(last.time)): \(last.summary)")
            } else {
                lines.append("  " + (facts.keepsHistory ? "None recorded for this store."
                    : "KMS keeps no history of connects: `cks connect \(store.name) --wait` and the console follow one as it happens."))
            }
            return lines
        }
        let events = facts.history[start...]
        let origin = facts.history[start].time
        let verb = kind == .connect ? "connect" : "disconnect"
        var lines = [style.bold("Last \(verb)") + "  " + style.dim("started \(Self.date(origin)), \(RelativeTime.describe(origin, now: now))")]
        let printer = WorkflowPrinter(style: style, store: store, json: false)
        for event in events {
            guard let line = printer.line(for: event) else { continue }
            lines.append("  \(style.dim("[\(String(format: "%6.1fs", event.time.timeIntervalSince(origin)))]")) \(line)")
        }
        return lines
    }

    // MARK: Formatting

    private func field(_ label: String, _ value: String) -> String {
        "  " + label.padding(toLength: 18, withPad: " ", startingAt: 0) + value
    }

    static func date(_ date: Date) -> String { UTCDate.string(date, "yyyy-MM-dd HH:mm:ss 'UTC'") }
}
