import Foundation
import KeyStoreEngine

/// The detail of one store as lines of text: the view shows a window of them, the reducer scrolls it.
struct DetailDocument {
    let lines: [StyledLine]
    /// The lines of the selected KMS key: its row, through the key actions under the list.
    let selectedKey: Range<Int>?

    init(state: AppState, width: Int) {
        guard case let .detail(id) = state.screen, let store = state.stores[id] else {
            lines = []
            selectedKey = nil
            return
        }
        var builder = Builder(state: state, store: store, width: min(max(20, width - 4), 118))
        builder.build()
        lines = builder.lines
        selectedKey = builder.selectedKeyRow.map { $0..<max($0 + 1, builder.keyActionsEnd ?? 0) }
    }

    struct Builder {
        let state: AppState
        let store: CustomKeyStore
        let width: Int
        var lines: [StyledLine] = []
        var selectedKeyRow: Int?
        var keyActionsEnd: Int?

        var glyphs: Glyphs { state.glyphs }
        var now: Double { state.now.timeIntervalSinceReferenceDate }

        mutating func build() {
            if store.connectionState == .failed || state.repairs[store.id] != nil { diagnosis() }
            if let workflow = state.workflow(of: store.id) { progress(workflow) }
            general()
            if store.type == .externalKeyStore {
                proxyConfiguration()
                proxyHealth()
                proxyRequests()
            } else {
                trustAnchor()
                cluster()
            }
            keys()
            timeline()
        }

        mutating func section(_ title: String, _ trailing: StyledLine? = nil) {
            if !lines.isEmpty { lines.append("") }
            var line = StyledLine(title, .sectionTitle)
            if let trailing { line = line + StyledLine("  ") + trailing }
            lines.append(line)
        }

        mutating func add(_ line: StyledLine) {
            lines.append(StyledLine("  ") + line)
        }

        mutating func add(_ more: [StyledLine]) {
            for line in more { add(line) }
        }

        // MARK: Sections

        mutating func diagnosis() {
            let repair = state.repairs[store.id]
            let code = store.connectionErrorCode ?? repair?.code
            section(store.connectionState == .failed ? "Why it is FAILED" : "Repair under way")
            guard let code else {
                add(StyledLine("KMS gave no ConnectionErrorCode.", .dim))
                return
            }
            let guide = RepairGuide(store: store, state: state)
            let entry = guide.entry
            add(StyledLine(glyphs.failed + " " + code.rawValue, .failed) + StyledLine(entry.map { "  " + glyphs.plain($0.title) } ?? "", .strong))
            let fieldWidth = width - 2
            if let entry {
                add(StyledLine.wrappedField("Meaning", glyphs.plain(entry.meaning), width: fieldWidth))
                if !entry.likelyCause.isEmpty {
                    add(StyledLine.wrappedField("Likely cause", glyphs.plain(entry.likelyCause), width: fieldWidth))
                }
                let current = repair.flatMap { guide.stepIndex(of: $0.stage) }
                for (index, step) in guide.steps.enumerated() {
                    let number = (index == current ? glyphs.arrow : "") + "\(index + 1). "
                    let wrapped = TextWidth.wrap(glyphs.plain(step), to: max(10, fieldWidth - 20 - number.count))
                    for (row, text) in wrapped.enumerated() {
                        let label = index == 0 && row == 0 ? "Fix" : ""
                        add(StyledLine(TextWidth.fit(label, to: 20), .fieldLabel)
                            + StyledLine(row == 0 ? number : String(repeating: " ", count: number.count), .accent)
                            + StyledLine(text, index == current ? .strong : .normal))
                    }
                }
                if let applied = repair?.applied {
                    add(StyledLine.wrappedField("Simulated fix", glyphs.plain(applied), width: fieldWidth))
                }
            } else {
                add(StyledLine.wrappedField("Fix", "Disconnect the store, correct the cause of \(code.rawValue), then connect it again. "
                    + "(The troubleshooting catalogue has no entry for this code.)", width: fieldWidth))
            }
            add(repairLine(repair, guide))
        }

        func repairLine(_ repair: AppState.Repair?, _ guide: RepairGuide) -> StyledLine {
            let stages = guide.stages.map { ($0, guide.title(of: $0, simulated: state.simulatedRepairs)) }
            var line = StyledLine(TextWidth.fit("Repair", to: 20), .fieldLabel)
            let current = repair?.stage
            let currentIndex = stages.firstIndex { $0.0 == current }
            for (index, stage) in stages.enumerated() {
                if index > 0 { line.append(" \(glyphs.arrow) ", .dim) }
                let done = currentIndex.map { index < $0 } ?? false
                let active = index == currentIndex
                let mark = done ? glyphs.check + " " : "\(index + 1). "
                line.append(mark + stage.1, done ? .good : (active ? .accent : .normal))
            }
            line.append("   ")
            line.append("f", .keyHint)
            line.append(repair == nil ? " starts it" : " continues", .keyLabel)
            return line
        }

        mutating func progress(_ workflow: WorkflowProgress) {
            let verb = workflow.kind == .connect ? "Connect" : "Disconnect"
            let elapsed = ElapsedTime.text((workflow.finishedAt ?? state.now).timeIntervalSince(workflow.startedAt))
            let transition = state.transition(of: workflow)
            let heading: StyledLine = switch workflow.outcome {
            case nil where workflow.interruptedBy != nil:
                StyledLine("interrupted by a \(workflow.interruptedBy == .connect ? "connect" : "disconnect") after \(elapsed)", .warning)
            case nil: StyledLine("running \(glyphs.dot) ", .connecting) + TransitionText.clock(transition, now: state.now, glyphs: glyphs)
            case .connected?: StyledLine("CONNECTED after \(elapsed)", .connected)
            case .disconnected?: StyledLine("DISCONNECTED after \(elapsed)", .disconnected)
            case let .failed(code)?: StyledLine("FAILED after \(elapsed)" + (code.map { " (\($0.rawValue))" } ?? ""), .failed)
            }
            section(workflow.isRunning ? "\(verb) in progress" : "Last \(verb.lowercased())", heading)
            if workflow.isRunning { elapsedAgainstDocumented(transition) }
            if workflow.steps.isEmpty, workflow.isRunning {
                add(StyledLine(state.isRealKMS
                    ? "KMS reports no steps: cks polls DescribeCustomKeyStores every 2 s until the state changes."
                    : "Waiting for the first step\(glyphs.ellipsis)", .dim))
            }
            for step in workflow.steps {
                var line: StyledLine
                switch step.status {
                case .done: line = StyledLine(glyphs.check + " ", .good)
                case .running: line = StyledLine(glyphs.spinnerFrame(at: now) + " ", .connecting)
                case .failed: line = StyledLine(glyphs.cross + " ", .bad)
                }
                line.append(TextWidth.fit(glyphs.plain(step.step.title), to: 30), step.status == .running ? .strong : .normal)
                if let resource = step.resource {
                    line.append(glyphs.plain(resource.summary), .dim)
                } else if let subject = step.subject {
                    line.append(glyphs.plain(subject) + (step.status == .running ? glyphs.ellipsis : ""), .dim)
                }
                if case let .failed(code, message) = step.status {
                    line.append(" " + code.rawValue + " " + glyphs.plain(message), .bad)
                }
                add(line.truncated(to: width - 2, ellipsis: glyphs.ellipsis))
            }
        }

        /// The bar of the documented duration, whether the start is a lower bound, and what to check once overdue.
        mutating func elapsedAgainstDocumented(_ transition: TransitionProgress) {
            let now = state.now
            if state.isRealKMS, let bar = TransitionText.bar(transition, now: now, width: 30, glyphs: glyphs),
               let fraction = transition.fractionOfDocumentedDuration(at: now) {
                add(bar + StyledLine("  \(Int((fraction * 100).rounded(.down)))% of the documented \(TransitionText.documented(transition))", .dim))
            }
            if transition.precision == .alreadyUnderWay {
                add(StyledLine("It was already under way when cks first saw it: the time shown is a lower bound.", .dim))
            }
            if transition.isOverdue(at: now) {
                let advice = TransitionText.overdueAdvice(transition, storeType: store.type)
                for (index, text) in TextWidth.wrap(glyphs.plain(advice), to: width - 4).enumerated() {
                    add(StyledLine(index == 0 ? glyphs.warning + " " : "  ", .warning) + StyledLine(text, index == 0 ? .warning : .normal))
                }
            }
        }

        mutating func general() {
            section("General configuration")
            add(.field("Custom key store ID", StyledLine(store.id, .strong)))
            add(.field("Name", StyledLine(store.name)))
            add(.field("Type", StyledLine(store.type.displayName)))
            if store.type == .awsCloudHSM { add(.field("CloudHSM cluster", StyledLine(store.cloudHsmClusterId ?? "-"))) }
            add(.field("Connection state", Badge.line(store, glyphs: glyphs, now: now, withCode: false)))
            if let code = store.connectionErrorCode { add(.field("Connection error", StyledLine(code.rawValue, .errorCode))) }
            add(.field("Created", StyledLine(Formatting.dateTime(store.creationDate, state.timeZone))
                + StyledLine("  " + Formatting.ago(store.creationDate, now: state.now), .dim)))
            add(StyledLine.wrappedField("Equivalent", AWSCommandLine.describe(store.id, backend: state.backend), role: .logCommand, width: width - 2))
        }

        mutating func trustAnchor() {
            section("Trust anchor certificate")
            guard let pem = store.trustAnchorCertificate, !pem.isEmpty else {
                add(StyledLine("None recorded.", .dim))
                return
            }
            do {
                let certificate = try CertificateSummary(pem: pem)
                let subject = certificate.subject
                add(.field("Subject", StyledLine(glyphs.plain(subject.commonName.map { "CN=\($0)" } ?? subject.text), .strong)))
                if let organization = subject.organization { add(.field("Organization", StyledLine(glyphs.plain(organization)))) }
                if let unit = subject.organizationalUnit { add(.field("Organizational unit", StyledLine(glyphs.plain(unit)))) }
                add(.field("Issuer", certificate.isSelfSigned ? StyledLine("self-signed", .dim) : StyledLine(glyphs.plain(certificate.issuer.text))))
                add(.field("Valid from", StyledLine(Formatting.dateTime(certificate.notBefore, state.timeZone))))
                var until = StyledLine(Formatting.dateTime(certificate.notAfter, state.timeZone))
                let remaining = certificate.notAfter.timeIntervalSince(state.now)
                if remaining < 0 {
                    until.append("  expired " + Formatting.ago(certificate.notAfter, now: state.now), .bad)
                } else if certificate.notBefore > state.now {
                    until.append("  not valid yet", .warning)
                } else {
                    until.append("  " + Formatting.relative(certificate.notAfter, now: state.now), remaining < 30 * 86_400 ? .warning : .dim)
                }
                add(.field("Valid until", until))
            } catch {
                add(StyledLine("Not a certificate this console can read: \(error.message).", .warning))
            }
        }

        mutating func cluster() {
            guard let clusterId = store.cloudHsmClusterId else { return }
            section("CloudHSM cluster")
            guard let cluster = state.clusters[clusterId] else {
                add(StyledLine(state.clusters.isEmpty ? "Loading\(glyphs.ellipsis)" : "\(clusterId) is not among the clusters the account can see (deleted?).",
                               state.clusters.isEmpty ? .dim : .warning))
                return
            }
            let clusterRole: StyleRole = cluster.state == .active ? .good : .warning
            add(.field("Cluster", StyledLine(cluster.id + "  ") + StyledLine(cluster.state.rawValue, clusterRole)))
            add(.field("VPC", StyledLine(cluster.vpcId) + StyledLine("   security group ", .dim) + StyledLine(cluster.securityGroup)))
            if cluster.securityGroupRulesIntact == false {
                add(.field("", StyledLine("The security group lacks its self-referencing TCP 2223-2225 rules.", .bad)))
            }
            if cluster.networkBlocked == true {
                add(.field("Network", StyledLine("blocked: KMS cannot reach the HSMs (cks sim unblock-network \(cluster.id))", .bad)))
            }
            if cluster.internalErrorPending == true {
                add(.field("Next connect", StyledLine("meets a KMS internal error (once)", .warning)))
            }
            for subnet in cluster.deletedSubnets {
                add(.field("Deleted subnet", StyledLine("\(subnet.id) \(subnet.availabilityZone) \(subnet.cidrBlock)", .bad)))
            }
            let hsmSummary: StyledLine = cluster.hsms.isEmpty
                ? StyledLine("no HSMs: KMS needs at least one ACTIVE HSM", .bad)
                : StyledLine("\(cluster.activeHSMs.count) of \(cluster.hsms.count) HSMs active", cluster.activeHSMs.isEmpty ? .bad : .dim)
            add(.field("HSM type", StyledLine(cluster.hsmType + "   ") + hsmSummary))
            let zones = Set(cluster.hsms.map(\.availabilityZone) + cluster.subnets.map(\.availabilityZone)).sorted()
            for (index, zone) in zones.enumerated() {
                var line = StyledLine(TextWidth.fit(index == 0 ? "Per zone" : "", to: 20), .fieldLabel)
                line.append(TextWidth.fit(zone, to: 12), .strong)
                let hsms = cluster.hsms.filter { $0.availabilityZone == zone }
                if hsms.isEmpty { line.append("no HSM", .warning) }
                for (n, hsm) in hsms.enumerated() {
                    if n > 0 { line.append(", ") }
                    line.append(hsm.id + " ")
                    line.append(hsm.state.rawValue, hsm.state == .active ? .good : .warning)
                }
                for subnet in cluster.subnets where subnet.availabilityZone == zone {
                    line.append("   \(subnet.id) \(subnet.cidrBlock)", .dim)
                    if let free = subnet.freeAddresses {
                        line.append(" \(free) free", free == 0 ? .bad : (free < 2 ? .warning : .dim))
                    }
                }
                add(line.truncated(to: width - 2, ellipsis: glyphs.ellipsis))
            }
            if let user = cluster.kmsUser {
                let text: StyledLine = if !user.exists {
                    StyledLine("does not exist", .bad)
                } else if user.lockedOut {
                    StyledLine("locked out after \(user.failedLogins) failed logins", .bad)
                } else if user.loggedInElsewhere {
                    StyledLine("logged in elsewhere (KMS cannot log in)", .warning)
                } else if user.loggedInByKMS {
                    StyledLine("logged in by KMS", .good)
                } else {
                    StyledLine("ready" + (user.failedLogins > 0 ? " (\(user.failedLogins) failed logins)" : ""), .normal)
                }
                var line = text
                if user.exists, let password = user.knownPassword { line.append("   password \(password)", .dim) }
                add(.field("kmsuser", line))
            }
        }

        mutating func keys() {
            switch state.keys[store.id] {
            case nil, .loading?:
                section("KMS keys")
                add(StyledLine("Loading\(glyphs.ellipsis)", .dim))
            case let .failed(error)?:
                section("KMS keys")
                add(StyledLine(glyphs.plain("\(error.code.rawValue): \(error.message)"), .bad))
            case let .loaded(keys)?:
                section("KMS keys", StyledLine("\(keys.count)", .dim))
                if keys.isEmpty {
                    add(StyledLine("No KMS keys in this store.  ", .dim) + StyledLine("N", .keyHint)
                        + StyledLine(store.type == .externalKeyStore ? " creates one on an external key" : " creates one", .keyLabel))
                    return
                }
                let external = store.type == .externalKeyStore
                add(StyledLine(TextWidth.column("KEY ID", 38) + (external ? TextWidth.column("EXTERNAL KEY ID", 22) : "")
                    + TextWidth.column("DESCRIPTION", 20) + TextWidth.column("STATE", 17) + "LAST USED", .columnHeader))
                let selected = Reducer.selectedKey(state)
                for key in keys.sorted(by: { $0.creationDate < $1.creationDate }) {
                    let isSelected = key.id == selected?.id
                    var line = StyledLine(TextWidth.column(key.id, 38), isSelected ? .accent : .normal)
                    if external { line.append(TextWidth.column(glyphs.plain(key.xksKeyId ?? "-"), 22, ellipsis: glyphs.ellipsis), .strong) }
                    line.append(TextWidth.column(key.description, 20, ellipsis: glyphs.ellipsis), .dim)
                    line.append(TextWidth.column(key.keyState.rawValue, 17), keyRole(key.keyState))
                    line.append(lastUse(key.lastUsage), .dim)
                    if isSelected { selectedKeyRow = lines.count }
                    add(line.truncated(to: width - 2, ellipsis: glyphs.ellipsis))
                }
                if let selected {
                    keyActions(selected)
                    keyActionsEnd = lines.count
                }
            }
        }

        /// The key actions of the selected key, greyed when the rules forbid them, with the rules' reasons below.
        mutating func keyActions(_ key: KMSKey) {
            var line = StyledLine(glyphs.pointer + " " + String(key.id.prefix(8)) + glyphs.ellipsis + "  ", .accent)
            line.append("J/K", .keyHint)
            line.append(" select  ", .keyLabel)
            let actions: [(String, String, KeyAction)] = [("+", "enable", .enable), ("-", "disable", .disable),
                                                          ("W", "schedule deletion", .scheduleDeletion),
                                                          ("U", "cancel deletion", .cancelDeletion)]
            var refused: [(keys: String, reason: String)] = []
            for (hotkey, title, action) in actions {
                if let reason = Reducer.keyActionReason(action, key, state) {
                    line.append("\(hotkey) \(title)  ", .menuDisabled)
                    if let index = refused.firstIndex(where: { $0.reason == reason }) {
                        refused[index].keys += "/" + hotkey
                    } else {
                        refused.append((hotkey, reason))
                    }
                } else {
                    line.append(hotkey, .keyHint)
                    line.append(" \(title)  ", .keyLabel)
                }
            }
            add(line.truncated(to: width - 2, ellipsis: glyphs.ellipsis))
            guard !refused.isEmpty else { return }
            let reasons = refused.map { "\($0.keys): \($0.reason)" }.joined(separator: "; ")
            add(StyledLine("  not now: " + reasons, .menuReason).truncated(to: width - 2, ellipsis: glyphs.ellipsis))
        }

        func keyRole(_ state: KeyState) -> StyleRole {
            switch state {
            case .enabled: .good
            case .unavailable, .pendingDeletion: .warning
            case .disabled: .dim
            default: .normal
            }
        }

        func lastUse(_ usage: KeyUsage?) -> String {
            guard let usage else { return "never" }
            return "\(usage.operation), \(Formatting.ago(usage.time, now: state.now))"
        }

        mutating func timeline() {
            switch state.histories[store.id] {
            case nil, .loading?:
                section("Timeline")
                add(StyledLine("Loading\(glyphs.ellipsis)", .dim))
            case let .failed(error)?:
                section("Timeline")
                add(StyledLine(glyphs.plain("\(error.code.rawValue): \(error.message)"), .bad))
            case let .loaded(events)?:
                let shown = events.filter(Self.belongsInTimeline)
                section("Timeline", StyledLine("state changes, newest first", .dim))
                if shown.isEmpty { add(StyledLine("No recorded state changes.", .dim)) }
                for event in shown.reversed().prefix(40) {
                    var line = StyledLine(Formatting.dateTime(event.time, state.timeZone) + "  ", .logTime)
                    let role: StyleRole = if case let .connectionStateChanged(_, to, _) = event.kind { Badge.role(to) } else { .normal }
                    line.append(glyphs.plain(event.summary), role)
                    add(line.truncated(to: width - 2, ellipsis: glyphs.ellipsis))
                }
            }
        }

        static func belongsInTimeline(_ event: KeyStoreEvent) -> Bool {
            switch event.kind {
            case .connectionStateChanged, .keyStoreCreated, .keyStoreUpdated, .stepFailed, .worldChanged: true
            default: false
            }
        }
    }
}
