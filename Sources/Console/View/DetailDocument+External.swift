import Foundation
import KeyStoreEngine

/// The sections of an external key store's detail: its proxy configuration (the KMS console's "External key store
/// proxy configuration"), the proxy's last health answer and, for the local proxy, the requests it served.
extension DetailDocument.Builder {
    mutating func proxyConfiguration() {
        section("External key store proxy configuration")
        guard let proxy = store.xksProxyConfiguration else {
            add(StyledLine("KMS returned no XksProxyConfiguration for this store.", .dim))
            return
        }
        add(.field("Proxy connectivity", StyledLine(proxy.connectivity.displayName)
            + StyledLine("  " + proxy.connectivity.rawValue, .dim)))
        add(.field("Proxy URI endpoint", StyledLine(glyphs.plain(proxy.uriEndpoint), .strong)))
        add(.field("Proxy URI path", StyledLine(glyphs.plain(proxy.uriPath))))
        add(.field("Access key ID", StyledLine(glyphs.plain(proxy.accessKeyId))
            + StyledLine("  (KMS never returns the secret)", .dim)))
        if proxy.connectivity == .vpcEndpointService {
            add(.field("VPC service name", StyledLine(glyphs.plain(proxy.vpcEndpointServiceName ?? "-"))))
            add(.field("VPC service owner", StyledLine(proxy.vpcEndpointServiceOwner ?? "-")))
        }
    }

    mutating func proxyHealth() {
        let title = "Proxy health"
        switch state.proxyObservations[store.id] {
        case nil, .loading?:
            section(title)
            add(StyledLine("Loading\(glyphs.ellipsis)", .dim))
        case let .failed(error)?:
            section(title)
            add(StyledLine(glyphs.plain("\(error.code.rawValue): \(error.message)"), .bad))
        case .loaded(nil)?:
            section(title)
            add(StyledLine("This backend does not report proxy health (KMS publishes it as CloudWatch metrics).", .dim))
        case let .loaded(observation?)?:
            section(title, StyledLine("the last GetHealthStatus KMS sent", .dim))
            guard let health = observation.health else {
                add(StyledLine("No health check yet: KMS asks the proxy at create, update and connect, and every few minutes while CONNECTED.", .dim))
                return
            }
            healthAnswer(health)
        }
    }

    private mutating func healthAnswer(_ health: XKSProxyHealth) {
        var when = StyledLine(Formatting.dateTime(health.checkedAt, state.timeZone))
        when.append("  " + Formatting.ago(health.checkedAt, now: state.now), .dim)
        when.append("  \(glyphs.dot) " + health.kmsOperation, .dim)
        add(.field("Checked", when))
        add(.field("Latency", StyledLine(Self.milliseconds(health.latency), health.latency > 0.25 ? .warning : .normal)
            + StyledLine(health.latency > 0.25 ? "  over KMS's 250 ms timeout" : "", .warning)))
        switch health.outcome {
        case let .failed(code, detail):
            add(.field("Answer", StyledLine(glyphs.failed + " " + code.rawValue, .failed)))
            add(StyledLine.wrappedField("", glyphs.plain(detail), width: width - 2))
        case let .answered(report):
            let unavailable = report.ekmFleetDetails.filter { $0.healthStatus == "UNAVAILABLE" }.count
            let answer: StyledLine = report.ekmFleetDetails.isEmpty || unavailable < report.ekmFleetDetails.count
                ? StyledLine(glyphs.check + " answered", .good)
                : StyledLine(glyphs.failed + " every key manager instance is UNAVAILABLE (KMS: XKS_PROXY_NOT_REACHABLE)", .bad)
            add(.field("Answer", answer))
            add(.field("Proxy", StyledLine(glyphs.plain("\(report.xksProxyVendor) \(report.xksProxyModel)"))
                + StyledLine("  fleet of \(report.xksProxyFleetSize)", .dim)))
            add(.field("Key manager", StyledLine(glyphs.plain(report.ekmVendor))
                + StyledLine("  \(report.ekmFleetDetails.count) instance\(report.ekmFleetDetails.count == 1 ? "" : "s")", .dim)))
            for (index, instance) in report.ekmFleetDetails.enumerated() {
                var line = StyledLine(TextWidth.fit(index == 0 ? "Instances" : "", to: 20), .fieldLabel)
                line.append(TextWidth.column(glyphs.plain(instance.id), 24, ellipsis: glyphs.ellipsis), .strong)
                line.append(TextWidth.column(glyphs.plain(instance.model), 20, ellipsis: glyphs.ellipsis), .dim)
                line.append(Self.instanceMark(instance.healthStatus, glyphs) + " " + instance.healthStatus, Self.instanceRole(instance.healthStatus))
                add(line.truncated(to: width - 2, ellipsis: glyphs.ellipsis))
            }
        }
    }

    mutating func proxyRequests() {
        guard case let .loaded(observation?)? = state.proxyObservations[store.id] else { return }
        section("Proxy requests", StyledLine("the local proxy's log, newest first", .dim))
        guard !observation.requests.isEmpty else {
            add(StyledLine("None: the proxy is not the local one, or it has served nothing for this store yet.", .dim))
            return
        }
        add(StyledLine(TextWidth.column("TIME", 10) + TextWidth.column("CALL", 10) + TextWidth.column("KMS OPERATION", 24)
            + TextWidth.column("LATENCY", 10) + "ANSWER", .columnHeader))
        for record in observation.requests {
            var line = StyledLine(TextWidth.column(Formatting.time(record.time, state.timeZone), 10), .logTime)
            line.append(TextWidth.column(glyphs.plain(record.operation), 10), .strong)
            line.append(TextWidth.column(glyphs.plain(record.kmsOperation ?? "-"), 24, ellipsis: glyphs.ellipsis), .normal)
            line.append(TextWidth.column(Self.milliseconds(record.latency), 10), .dim)
            let ok = (200..<300).contains(record.httpStatus)
            line.append(glyphs.plain("\(record.httpStatus)" + (record.errorName.map { " " + $0 } ?? "")), ok ? .good : .bad)
            add(line.truncated(to: width - 2, ellipsis: glyphs.ellipsis))
        }
    }

    static func milliseconds(_ seconds: TimeInterval) -> String {
        let ms = seconds * 1000
        return ms < 10 ? String(format: "%.1f ms", ms) : "\(Int(ms.rounded())) ms"
    }

    static func instanceRole(_ status: String) -> StyleRole {
        switch status {
        case "ACTIVE": .good
        case "DEGRADED": .warning
        default: .bad
        }
    }

    static func instanceMark(_ status: String, _ glyphs: Glyphs) -> String {
        switch status {
        case "ACTIVE": glyphs.connected
        case "DEGRADED": glyphs.warning
        default: glyphs.failed
        }
    }
}
