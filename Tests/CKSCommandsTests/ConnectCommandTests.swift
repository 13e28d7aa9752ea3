import Foundation
import Synchronization
import Testing

/// The lines of a `--wait` run that report a finished step (✓), in order.
func finishedSteps(_ output: String) -> [String] {
    output.split(separator: "\n").map(String.init).filter { $0.contains("✓") }
}

/// `cks connect` and `cks disconnect`, with and without `--wait`.
@Suite("cks connect / disconnect")
struct ConnectCommandTests {
    /// Checks the steps of a successful connect --wait: locate, HSMs, security group kms-<id>, one ENI per
    /// cluster subnet (eni-… and its AZ), connect, log in, rotate; then CONNECTED.
    static func expectConnectSteps(
        _ result: CommandResult, store: Demo.Store, subnets: [String: String], sourceLocation: SourceLocation = #_sourceLocation
    ) {
        expectSuccess(result, sourceLocation: sourceLocation)
        let steps = finishedSteps(result.stdout)
        let lowered = steps.map { $0.lowercased() }
        func index(_ what: String, _ test: (String) -> Bool) -> Int? {
            let found = lowered.firstIndex(where: test)
            #expect(found != nil, "no step line for \(what): \(result)", sourceLocation: sourceLocation)
            return found
        }
        let locate = index("locating the cluster") { $0.contains("locate") && $0.contains(store.cluster) }
        let hsms = index("checking the HSMs") { $0.contains("hsm") && !$0.contains("locate") }
        let group = index("the security group") { $0.contains("security group") && $0.contains("kms-\(store.id)") && $0.contains("sg-") }
        let interfaces = lowered.indices.filter { lowered[$0].contains("eni-") }
        let connect = index("connecting to the cluster") { $0.contains("connect to") }
        let login = index("logging in as kmsuser") { $0.contains("log in") && $0.contains("kmsuser") }
        let rotate = index("rotating the password") { $0.contains("rotate") }
        #expect(interfaces.count == subnets.count, "one ENI line per subnet \(subnets): \(result)", sourceLocation: sourceLocation)
        for (zone, subnet) in subnets {
            #expect(interfaces.contains { steps[$0].contains(zone) && steps[$0].contains(subnet) },
                    "an ENI in \(zone) (\(subnet)): \(result)", sourceLocation: sourceLocation)
        }
        if let locate, let hsms, let group, let connect, let login, let rotate, let first = interfaces.first, let last = interfaces.last {
            #expect([locate, hsms, group, first, last, connect, login, rotate] == [locate, hsms, group, first, last, connect, login, rotate].sorted(),
                    "steps in order: \(steps.joined(separator: "\n"))", sourceLocation: sourceLocation)
            #expect(first - group == 1 && last - first == subnets.count - 1 && connect - last == 1, "\(steps)", sourceLocation: sourceLocation)
        }
        let lines = result.lines
        let settled = lines.lastIndex { $0.contains("→") && $0.contains("CONNECTED") && !$0.contains("DISCONNECTED") }
        #expect(settled != nil && settled! > (lines.lastIndex { $0.contains("Rotate") || $0.contains("rotate") } ?? Int.max),
                "CONNECTED after the last step: \(result)", sourceLocation: sourceLocation)
        #expect(lines.last?.contains("CONNECTED") == true, "\(result)", sourceLocation: sourceLocation)
        #expect(!result.stdout.contains("FAILED"), "\(result)", sourceLocation: sourceLocation)
    }

    @Test("connect --wait (instant) prints every step in order and ends CONNECTED", arguments: [Demo.ledgerArchive, Demo.hrRecords])
    func connectWaitInstant(_ store: Demo.Store) async throws {
        let world = try TestWorld()
        let subnets = try await world.subnets(ofCluster: store.cluster)
        let result = try await world.run("connect", store.name, "--wait", "--pace", "instant")
        Self.expectConnectSteps(result, store: store, subnets: subnets)
        #expect(!hasANSIEscape(result.stdout), "no colour on a pipe")
        #expect(try await world.state(of: store.id).state == "CONNECTED")
    }

    @Test("connect --wait at demo pace streams the steps with their times and ends CONNECTED")
    func connectWaitDemoPace() async throws {
        let world = try TestWorld()
        let store = Demo.ledgerArchive
        let subnets = try await world.subnets(ofCluster: store.cluster)
        let started = ContinuousClock.now
        let result = try await world.run("connect", store.id, "--wait", "--pace", "demo")
        let took = ContinuousClock.now - started
        Self.expectConnectSteps(result, store: store, subnets: subnets)
        // "[   3.4s] ✓ …": the times never go back, and a demo connect takes a few seconds (about 8).
        let times = result.lines.compactMap { line -> Double? in
            guard let match = line.firstMatch(of: /\[\s*([0-9]+\.[0-9])s\]/) else { return nil }
            return Double(match.1)
        }
        #expect(times.count >= 10 && times == times.sorted(), "\(times)")
        #expect((times.last ?? 0) >= 4 && (times.last ?? 0) <= 15, "\(times)")
        #expect(took >= .seconds(4), "a demo-pace connect is not instant: \(took)")
    }

    @Test("connect without --wait returns at once with CONNECTING; the workflow goes on in the next process")
    func connectReturnsAtOnce() async throws {
        let world = try TestWorld()
        let store = Demo.ledgerArchive
        let result = try await world.run("connect", store.name, "--pace", "demo")
        expectSuccess(result)
        #expect(result.stdout.contains("CONNECTING"), "it returned while the store was CONNECTING: \(result)")

        let again = try await world.run("connect", store.id, "--output", "json", "--pace", "demo")
        expectSuccess(again)
        #expect(again.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "{}", "ConnectCustomKeyStore answers {} (spec 8.2)")

        try await world.waitForState(store.id, "CONNECTED", bound: .testWaitBound)
    }

    @Test("connect without --wait at realistic pace: the store is still CONNECTING afterwards; disconnect stops it")
    func connectReturnsAtOnceRealistic() async throws {
        let world = try TestWorld()
        let store = Demo.hrRecords
        let result = try await world.run("connect", store.name, "--pace", "realistic")
        expectSuccess(result)
        #expect(result.stdout.contains("CONNECTING"), "\(result)")
        #expect(try await world.state(of: store.id).state == "CONNECTING")
        #expect(try await world.state(of: store.id).state == "CONNECTING", "still, a realistic connect takes minutes")
        expectSuccess(try await world.run("disconnect", store.name, "--wait"))
        #expect(try await world.state(of: store.id).state == "DISCONNECTED")
    }

    @Test("the pace comes from --pace, else CKS_PACE, else demo")
    func paceSources() async throws {
        let world = try TestWorld()
        // CKS_PACE=instant: the connect is over by the time the command returns.
        expectSuccess(try await world.run("connect", Demo.ledgerArchive.name, environment: ["CKS_PACE": "instant"]))
        #expect(try await world.state(of: Demo.ledgerArchive.id).state == "CONNECTED")
        // CKS_PACE=realistic: minutes; --pace instant wins over it.
        expectSuccess(try await world.run("connect", Demo.hrRecords.name, environment: ["CKS_PACE": "realistic"]))
        #expect(try await world.state(of: Demo.hrRecords.id).state == "CONNECTING")
        expectSuccess(try await world.run("disconnect", Demo.hrRecords.name, "--wait", "--pace", "instant", environment: ["CKS_PACE": "realistic"]))
        expectSuccess(try await world.run("connect", Demo.hrRecords.name, "--pace", "instant", environment: ["CKS_PACE": "realistic"]))
        #expect(try await world.state(of: Demo.hrRecords.id).state == "CONNECTED")
        // Neither: demo, a few seconds.
        expectSuccess(try await world.run("disconnect", Demo.ledgerArchive.name, "--wait"))
        let demo = try await world.run("connect", Demo.ledgerArchive.name, "--wait", environment: ["CKS_PACE": nil], bound: .testWaitBound)
        expectSuccess(demo)
        let last = demo.lines.compactMap { $0.firstMatch(of: /\[\s*([0-9]+\.[0-9])s\]/).flatMap { Double($0.1) } }.last ?? 0
        #expect(last >= 4 && last <= 15, "a demo connect takes about 8 s: \(demo)")
    }

    @Test("connect on a CONNECTED store succeeds and changes nothing (spec 8.2)")
    func connectOnConnected() async throws {
        let world = try TestWorld()
        let store = Demo.paymentsProd
        try await world.seed()
        let before = try await world.sqliteCount("select count(*) from events where key_store_id = '\(store.id)'")
        let json = try await world.run("connect", store.name, "--output", "json")
        expectSuccess(json)
        #expect(json.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "{}", "\(json)")
        let wait = try await world.run("connect", store.name, "--wait")
        expectSuccess(wait)
        #expect(wait.lines.last?.contains("CONNECTED") == true, "\(wait)")
        #expect(try await world.state(of: store.id).state == "CONNECTED")
        let after = try await world.sqliteCount("select count(*) from events where key_store_id = '\(store.id)'")
        #expect(after == before, "no event recorded")
    }

    @Test("a connect that fails prints the code, its meaning and the fix, exits 3 and leaves no network resources")
    func failedConnect() async throws {
        let world = try TestWorld()
        let store = Demo.ledgerArchive
        let subnets = try await world.subnets(ofCluster: store.cluster)
        let full = try #require(subnets["us-east-1c"])
        let baseline = try await world.freeAddresses(ofCluster: store.cluster)
        expectSuccess(try await world.run("sim", "fill-subnet", full))

        let result = try await world.run("connect", store.name, "--wait")
        #expect(result.status == 3 && !result.killedBySignal, "\(result)")
        let out = result.stdout
        #expect(out.contains("✗") && out.contains("INSUFFICIENT_FREE_ADDRESSES_IN_SUBNET"), "\(result)")
        #expect(out.contains("FAILED (INSUFFICIENT_FREE_ADDRESSES_IN_SUBNET)"), "\(result)")
        #expect(out.contains("What it means:") && out.contains("free IP address"), "the meaning: \(result)")
        #expect(out.contains("How to fix it:") && out.contains("  1. ") && out.contains("  2. "), "numbered fix steps: \(result)")
        #expect(out.contains("cks disconnect \(store.id)"), "the fix names this store: \(result)")
        #expect(!out.contains("<store"), "placeholders are filled in: \(result)")

        let state = try await world.state(of: store.id)
        #expect(state.state == "FAILED" && state.code == "INSUFFICIENT_FREE_ADDRESSES_IN_SUBNET")
        // Spec 8.4: the failed workflow undid what it had created.
        #expect(try await world.sqliteCount("select count(*) from network_interfaces where key_store_id = '\(store.id)'") == 0)
        #expect(try await world.sqliteCount("select count(*) from security_groups where key_store_id = '\(store.id)'") == 0)
        var expected = baseline
        expected[full] = 0
        #expect(try await world.freeAddresses(ofCluster: store.cluster) == expected, "the ENIs made before the failure are gone")
    }

    @Test("connect on a FAILED store: CustomKeyStoreInvalidStateException saying to disconnect first (spec 8.2)",
          arguments: [Demo.tokenizationVault, Demo.releaseSigning, Demo.partnerExchange])
    func connectOnFailed(_ store: Demo.Store) async throws {
        let world = try TestWorld()
        for wait in [false, true] {
            let result = try await world.run(["connect", store.name] + (wait ? ["--wait"] : []))
            expectKMSError(result, "CustomKeyStoreInvalidStateException", mentioning: ["FAILED"])
            #expect(result.stderr.lowercased().contains("disconnect"), "says to disconnect first: \(result)")
        }
        #expect(try await world.state(of: store.id).state == "FAILED", "unchanged")
    }

    @Test("connect or disconnect an unknown store: CustomKeyStoreNotFoundException",
          arguments: [["connect", "no-such-store"], ["disconnect", "cks-00000000000000000", "--wait"]])
    func unknownStore(_ arguments: [String]) async throws {
        let world = try TestWorld()
        expectKMSError(try await world.run(arguments), "CustomKeyStoreNotFoundException")
    }

    @Test("disconnect --wait from CONNECTED: log out, remove the ENIs and the security group, DISCONNECTED")
    func disconnectConnected() async throws {
        let world = try TestWorld()
        let store = Demo.paymentsProd
        try await world.seed()
        let interfaces = try await world.sqlite("select id from network_interfaces where key_store_id = '\(store.id)'")
        try #require(!interfaces.isEmpty)
        let result = try await world.run("disconnect", store.name, "--wait")
        expectSuccess(result)
        let steps = finishedSteps(result.stdout).map { $0.lowercased() }
        let logout = steps.firstIndex { $0.contains("log out") }
        let group = steps.firstIndex { $0.contains("security group") && $0.contains("kms-\(store.id)") }
        #expect(logout != nil && group != nil, "\(result)")
        for eni in interfaces {
            let line = steps.firstIndex { $0.contains(eni) }
            #expect(line != nil && logout! < line! && line! < group!, "ENI \(eni) removed between log out and the group: \(result)")
        }
        #expect(result.lines.last?.contains("DISCONNECTED") == true, "\(result)")
        #expect(try await world.state(of: store.id).state == "DISCONNECTED")
        #expect(try await world.sqliteCount("select count(*) from network_interfaces where key_store_id = '\(store.id)'") == 0)
        #expect(try await world.sqliteCount("select count(*) from security_groups where key_store_id = '\(store.id)'") == 0)
    }

    @Test("disconnect --wait from FAILED ends DISCONNECTED", arguments: [Demo.tokenizationVault, Demo.releaseSigning, Demo.partnerExchange])
    func disconnectFailed(_ store: Demo.Store) async throws {
        let world = try TestWorld()
        let result = try await world.run("disconnect", store.id, "--wait")
        expectSuccess(result)
        #expect(result.lines.last?.contains("DISCONNECTED") == true, "\(result)")
        let state = try await world.state(of: store.id)
        #expect(state.state == "DISCONNECTED" && state.code == nil)
    }

    @Test("disconnect on a DISCONNECTED store: CustomKeyStoreInvalidStateException that says what can be disconnected",
          arguments: [false, true])
    func disconnectDisconnected(_ wait: Bool) async throws {
        let world = try TestWorld()
        let result = try await world.run(["disconnect", Demo.hrRecords.name] + (wait ? ["--wait"] : []))
        expectKMSError(result, "CustomKeyStoreInvalidStateException", mentioning: ["DISCONNECTED"])
        #expect(result.stderr.contains("CONNECTED") && result.stderr.contains("FAILED"), "\(result)")
    }

    @Test("disconnect from CONNECTING stops the connect and removes what it had created")
    func disconnectConnecting() async throws {
        let world = try TestWorld()
        let store = Demo.ledgerArchive
        let baseline = try await world.freeAddresses(ofCluster: store.cluster)
        // The moment the connect shows its first ENI, a disconnect starts (from the thread reading the output).
        let connect = try world.start(["connect", store.name, "--wait", "--pace", "demo"], environment: ["NO_COLOR": "1"], terminal: true)
        let disconnect = Mutex<RunningCommand?>(nil)
        let launchFailure = Mutex<String?>(nil)
        connect.whenOutput({ $0.contains("eni-") }) {
            do {
                let started = try world.start(["disconnect", store.name, "--wait"])
                disconnect.withLock { $0 = started }
            } catch {
                launchFailure.withLock { $0 = "\(error)" }
            }
        }
        let connected = try await connect.finish(bound: .testWaitBound)
        #expect(launchFailure.withLock { $0 } == nil)
        let running = try #require(disconnect.withLock { $0 }, "the connect never showed an ENI: \(connected)")
        let result = try await running.finish(bound: .testWaitBound)
        expectSuccess(result)
        #expect(result.lines.last?.contains("DISCONNECTED") == true, "\(result)")
        #expect(!connected.killedBySignal && connected.lines.last?.contains("DISCONNECTED") == true,
                "the connect --wait sees the store end DISCONNECTED: \(connected)")
        #expect(try await world.state(of: store.id).state == "DISCONNECTED")
        #expect(try await world.sqliteCount("""
            select count(*) from events where key_store_id = '\(store.id)'
            and json_extract(kind, '$.connectionStateChanged.from') = 'CONNECTING'
            and json_extract(kind, '$.connectionStateChanged.to') = 'DISCONNECTING'
            """) == 1, "disconnected from CONNECTING (the connect was still running)")
        #expect(try await world.sqliteCount("select count(*) from events where key_store_id = '\(store.id)' and json_extract(kind, '$.connectionStateChanged.to') = 'CONNECTED'") == 0)
        #expect(try await world.sqliteCount("select count(*) from network_interfaces where key_store_id = '\(store.id)'") == 0)
        #expect(try await world.sqliteCount("select count(*) from security_groups where key_store_id = '\(store.id)'") == 0)
        #expect(try await world.sqliteCount("select count(*) from workflows where key_store_id = '\(store.id)'") == 0)
        #expect(try await world.freeAddresses(ofCluster: store.cluster) == baseline)
    }

    /// How long after the first ENI line the CONNECTED line arrived (about 5 s at demo pace for ledger-archive
    /// when the output streams; nothing when it comes all at once at exit).
    static func streamingGap(_ running: RunningCommand) -> Duration? {
        guard let eni = running.arrival(of: "eni-"), let connected = running.arrival(of: "→ ● CONNECTED") else { return nil }
        return connected - eni
    }

    @Test("on a terminal, connect --wait streams each step as it happens")
    func streamsOnATerminal() async throws {
        let world = try TestWorld()
        let store = Demo.ledgerArchive
        let running = try world.start(["connect", store.name, "--wait", "--pace", "demo"], environment: ["NO_COLOR": "1"], terminal: true)
        let result = try await running.finish(bound: .testWaitBound)
        Self.expectConnectSteps(result, store: store, subnets: try await world.subnets(ofCluster: store.cluster))
        #expect(!hasANSIEscape(result.stdout), "NO_COLOR on a terminal: \(result)")
        let gap = try #require(Self.streamingGap(running))
        #expect(gap > .milliseconds(1500), "the ENI lines came \(gap) before CONNECTED")
    }

    @Test("connect --wait streams its steps as they happen when standard output is a pipe")
    func streamsThroughAPipe() async throws {
        let world = try TestWorld()
        let store = Demo.ledgerArchive
        let running = try world.start(["connect", store.name, "--wait", "--pace", "demo"])
        let result = try await running.finish(bound: .testWaitBound)
        Self.expectConnectSteps(result, store: store, subnets: try await world.subnets(ofCluster: store.cluster))
        let gap = try #require(Self.streamingGap(running))
        #expect(gap > .milliseconds(1500), "the ENI lines came \(gap) before CONNECTED")
    }
}
