import Foundation
import Testing

/// Where two texts first differ, line by line.
func firstDifference(_ a: String, _ b: String) -> String {
    let left = a.components(separatedBy: "\n"), right = b.components(separatedBy: "\n")
    for index in 0..<max(left.count, right.count) {
        let l = index < left.count ? left[index] : "<end>", r = index < right.count ? right[index] : "<end>"
        if l != r { return "line \(index + 1):\n  cks:    \(l)\n  python: \(r)" }
    }
    return "identical"
}

/// `cks list`: DescribeCustomKeyStores as a table, or exactly as `aws kms describe-custom-key-stores` prints it.
@Suite("cks list")
struct ListCommandTests {
    @Test("the binary under test is the cks built next to the tests")
    func binaryIsThere() async throws {
        #expect(CKSBinary.isExecutableFile(CKSBinary.url.path), "\(CKSBinary.url.path)")
        if let runner = CommandLine.arguments.first, runner.hasSuffix(".xctest") {
            let folder = URL(fileURLWithPath: runner).resolvingSymlinksInPath().deletingLastPathComponent()
            #expect(CKSBinary.url.deletingLastPathComponent().standardizedFileURL == folder.standardizedFileURL,
                    "the cks of this build (\(folder.path)), not another: \(CKSBinary.url.path)")
        }
        let world = try TestWorld()
        let version = try await world.run("--version")
        expectSuccess(version)
        #expect(!version.stdout.isEmpty)
    }

    @Test("a fresh home shows the demo world: ≥6 stores in every kind of state, each on its own cluster")
    func freshHomeShowsTheDemoWorld() async throws {
        let world = try TestWorld()
        let page = try await world.json("list", "--output", "json")
        let stores = try #require(page["CustomKeyStores"] as? [[String: Any]])
        #expect(stores.count >= 6)
        let states = stores.compactMap { $0["ConnectionState"] as? String }
        #expect(states.contains("CONNECTED"))
        #expect(states.contains("DISCONNECTED"))
        let failedCodes = Set(stores.filter { $0["ConnectionState"] as? String == "FAILED" }.compactMap { $0["ConnectionErrorCode"] as? String })
        #expect(failedCodes.count >= 2, "FAILED stores with different codes: \(failedCodes)")
        let cloudHSM = stores.filter { $0["CustomKeyStoreType"] as? String == "AWS_CLOUDHSM" }
        #expect(cloudHSM.count >= 6 && stores.count > cloudHSM.count, "both CloudHSM and external key stores")
        let clusters = cloudHSM.compactMap { $0["CloudHsmClusterId"] as? String }
        #expect(clusters.count == cloudHSM.count)
        #expect(Set(clusters).count == clusters.count, "each store on its own cluster: \(clusters)")
        #expect(Set(stores.compactMap { $0["CustomKeyStoreId"] as? String }).count == stores.count)
    }

    @Test("the table is readable: a header, one row per store with name, ID, cluster and state word, no escapes on a pipe")
    func tableOnAPipe() async throws {
        let world = try TestWorld()
        let result = try await world.run("list")
        expectSuccess(result)
        #expect(!hasANSIEscape(result.stdout), "\(result)")
        let lines = result.lines
        let header = try #require(lines.first)
        for column in ["NAME", "ID", "CLUSTER", "STATE"] { #expect(header.contains(column), "\(header)") }
        let stores: [Demo.Store] = [.init(id: Demo.paymentsProd.id, name: Demo.paymentsProd.name, cluster: Demo.paymentsProd.cluster, password: ""),
                                    Demo.ledgerArchive, Demo.tokenizationVault, Demo.releaseSigning]
        let expectedState = ["CONNECTED", "DISCONNECTED", "FAILED (INVALID_CREDENTIALS)", "FAILED (INSUFFICIENT_CLOUDHSM_HSMS)"]
        for (store, state) in zip(stores, expectedState) {
            let row = try #require(lines.first { $0.hasPrefix(store.name + " ") }, "no row for \(store.name): \(result)")
            #expect(row.contains(store.id) && row.contains(store.cluster) && row.contains(state), "\(row)")
        }
        let count = try #require(try await world.json("list", "--output", "json")["CustomKeyStores"] as? [Any]).count
        #expect(lines.count == 1 + count, "\(result)")
        // Columns line up: every row starts its ID where the header's ID column starts.
        let idColumn = try #require(header.range(of: "ID")).lowerBound.utf16Offset(in: header)
        for row in lines.dropFirst() {
            let id = try #require(row.range(of: "cks-")).lowerBound.utf16Offset(in: row)
            #expect(id == idColumn, "\(row)")
        }
    }

    @Test("on a terminal the state has a symbol and colour; NO_COLOR removes the colour")
    func colourOnlyOnATerminalWithoutNoColor() async throws {
        let world = try TestWorld()
        let coloured = try await world.run("list", terminal: true)
        expectSuccess(coloured)
        #expect(hasANSIEscape(coloured.stdout), "a terminal gets colour: \(coloured)")
        #expect(coloured.stdout.contains("● CONNECTED") || coloured.stdout.contains("● \u{1B}"), "\(coloured)")

        let plain = try await world.run("list", environment: ["NO_COLOR": "1"], terminal: true)
        expectSuccess(plain)
        #expect(!hasANSIEscape(plain.stdout), "NO_COLOR: \(plain)")
        #expect(plain.stdout.contains("● CONNECTED") && plain.stdout.contains("○ DISCONNECTED") && plain.stdout.contains("✗ FAILED"), "\(plain)")

        let ascii = try await world.run("list", environment: ["LC_ALL": "C", "NO_COLOR": "1"])
        expectSuccess(ascii)
        let allASCII = ascii.stdout.unicodeScalars.allSatisfy(\.isASCII)
        #expect(allASCII, "without a UTF-8 locale the symbols are ASCII: \(ascii)")
    }

    @Test("--output json has exactly the fields of describe-custom-key-stores, in botocore's order and types",
          .enabled(if: Tool.python3 != nil, "python3 not installed"))
    func jsonShape() async throws {
        let world = try TestWorld()
        let result = try await world.run("list", "--output", "json")
        expectSuccess(result)
        let page = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(Array(page.keys) == ["CustomKeyStores"], "without --limit/--marker no NextMarker or Truncated")
        let stores = try #require(page["CustomKeyStores"] as? [[String: Any]])
        let always: Set = ["CustomKeyStoreId", "CustomKeyStoreName", "CloudHsmClusterId", "TrustAnchorCertificate",
                           "ConnectionState", "CreationDate", "CustomKeyStoreType"]
        let external: Set = ["CustomKeyStoreId", "CustomKeyStoreName", "XksProxyConfiguration", "ConnectionState",
                             "CreationDate", "CustomKeyStoreType"]
        for store in stores where store["CustomKeyStoreType"] as? String == "EXTERNAL_KEY_STORE" {
            let failed = store["ConnectionState"] as? String == "FAILED"
            #expect(Set(store.keys) == (failed ? external.union(["ConnectionErrorCode"]) : external), "\(store.keys.sorted())")
            let proxy = try #require(store["XksProxyConfiguration"] as? [String: Any])
            #expect(Set(proxy.keys).isSuperset(of: ["AccessKeyId", "Connectivity", "UriEndpoint", "UriPath"]), "\(proxy.keys.sorted())")
            #expect(!result.stdout.contains("SecretAccessKey"), "never the secret")
        }
        for store in stores where store["CustomKeyStoreType"] as? String != "EXTERNAL_KEY_STORE" {
            let failed = store["ConnectionState"] as? String == "FAILED"
            #expect(Set(store.keys) == (failed ? always.union(["ConnectionErrorCode"]) : always), "\(store.keys.sorted())")
            for key in always.subtracting(["CreationDate"]) { #expect(store[key] is String, "\(key) is a string") }
            let seconds = try #require(store["CreationDate"] as? Double, "CreationDate is a JSON number")
            #expect(seconds > 1_262_304_000 && seconds < Date().timeIntervalSince1970 + 60, "epoch seconds: \(seconds)")
            #expect(store["CustomKeyStoreType"] as? String == "AWS_CLOUDHSM")
            #expect((store["TrustAnchorCertificate"] as? String)?.hasPrefix("-----BEGIN CERTIFICATE-----") == true)
        }
        // CreationDate is a bare number in the text (not a quoted string, not a boolean).
        let numbers = result.stdout.matches(of: /"CreationDate": [0-9]+(\.[0-9]+)?,\n/).count
        #expect(numbers == stores.count, "\(result.stdout.prefix(800))")

        // Key order: botocore's members, those present, in order (checked with Python's order-keeping parser).
        let keyLists = try await python3(
            "import json,sys; d=json.load(sys.stdin, object_pairs_hook=lambda p: p); print(json.dumps([[k for k, _ in e] for k, v in d if k == 'CustomKeyStores' for e in v]))",
            input: result.stdout, scratch: world.scratchFile("list.json"))
        try #require(keyLists.status == 0, "\(keyLists)")
        let orders = try #require(try JSONSerialization.jsonObject(with: Data(keyLists.stdout.utf8)) as? [[String]])
        #expect(orders.count == stores.count)
        for keys in orders {
            #expect(keys == describeEntryKeyOrder.filter(keys.contains), "key order \(keys)")
        }
    }

    @Test("the key order used above is botocore's CustomKeyStoresListEntry", .enabled("botocore not installed") { await Tool.hasBotocore.value })
    func keyOrderIsBotocores() async throws {
        let python3 = try #require(Tool.python3)
        let result = try await ProcessRunner.run(python3, ["-c", """
            import botocore.session
            m = botocore.session.get_session().get_service_model('kms')
            print('\\n'.join(m.shape_for('CustomKeyStoresListEntry').members))
            """], environment: ProcessInfo.processInfo.environment)
        try #require(result.status == 0, "\(result)")
        #expect(result.lines == describeEntryKeyOrder)
    }

    @Test("--output json is byte for byte what Python's json.dumps(indent=4) writes, as the aws CLI does",
          .enabled(if: Tool.python3 != nil, "python3 not installed"),
          arguments: [["list", "--output", "json"], ["list", "--output", "json", "--limit", "3"],
                      ["list", "--output", "json", "--name", "tokenization-vault"],
                      ["sim", "clusters", "--output", "json"], ["keys", "payments-prod", "--output", "json"]])
    func jsonIsFormattedLikeTheAWSCLI(_ arguments: [String]) async throws {
        let world = try TestWorld()
        let result = try await world.run(arguments)
        expectSuccess(result)
        let python = try await python3("import json,sys; d=json.load(sys.stdin); print(json.dumps(d, indent=4))",
                                       input: result.stdout, scratch: world.scratchFile("dump.json"))
        try #require(python.status == 0, "\(python)")
        #expect(Data(result.stdout.utf8) == Data(python.stdout.utf8), "\(firstDifference(result.stdout, python.stdout))")
        if arguments.first == "list" {
            #expect(result.stdout.hasPrefix("{\n    \"CustomKeyStores\": [\n        {\n            \"CustomKeyStoreId\""), "4-space indentation")
        }
    }

    @Test("--id and --name each select one store")
    func filters() async throws {
        let world = try TestWorld()
        let byId = try await world.json("list", "--output", "json", "--id", Demo.ledgerArchive.id)
        let one = try #require(byId["CustomKeyStores"] as? [[String: Any]])
        #expect(one.count == 1 && one.first?["CustomKeyStoreName"] as? String == Demo.ledgerArchive.name)

        let byName = try await world.json("list", "--output", "json", "--name", Demo.partnerExchange.name)
        let other = try #require(byName["CustomKeyStores"] as? [[String: Any]])
        #expect(other.count == 1 && other.first?["CustomKeyStoreId"] as? String == Demo.partnerExchange.id)
        #expect(other.first?["ConnectionErrorCode"] as? String == "USER_LOGGED_IN")

        let table = try await world.run("list", "--name", Demo.hrRecords.name)
        expectSuccess(table)
        #expect(table.lines.count == 2 && table.stdout.contains(Demo.hrRecords.id), "\(table)")
    }

    @Test("--id with --name is a usage error")
    func idAndNameTogether() async throws {
        let world = try TestWorld()
        let result = try await world.run("list", "--id", Demo.ledgerArchive.id, "--name", Demo.ledgerArchive.name)
        #expect(result.status != 0 && !result.killedBySignal, "\(result)")
        #expect(result.stderr.contains("--id") && result.stderr.contains("--name"), "\(result)")
        #expect(result.stdout.isEmpty, "\(result)")
        #expect(result.status == 2, "\(result)")
    }

    @Test("unknown store: CustomKeyStoreNotFoundException, exit 1", arguments: [
        ["--id", "cks-00000000000000000"], ["--name", "no-such-store"],
    ])
    func unknownStore(_ filter: [String]) async throws {
        let world = try TestWorld()
        let result = try await world.run(["list"] + filter)
        expectKMSError(result, "CustomKeyStoreNotFoundException", mentioning: [filter[1]])
        #expect(result.stdout.isEmpty)
    }

    @Test("--limit 2 pages: following NextMarker until Truncated is false gives every store once, in order")
    func paging() async throws {
        let world = try TestWorld()
        let all = try await world.json("list", "--output", "json")
        let everyId = try #require(all["CustomKeyStores"] as? [[String: Any]]).compactMap { $0["CustomKeyStoreId"] as? String }

        var seen: [String] = []
        var marker: String?
        var pages = 0
        repeat {
            var arguments = ["list", "--output", "json", "--limit", "2"]
            if let marker { arguments += ["--marker", marker] }
            let result = try await world.run(arguments)
            expectSuccess(result)
            let page = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            let stores = try #require(page["CustomKeyStores"] as? [[String: Any]])
            #expect(stores.count <= 2)
            seen += stores.compactMap { $0["CustomKeyStoreId"] as? String }
            let truncated = try #require(page["Truncated"] as? Bool, "Truncated is a JSON boolean: \(result)")
            marker = page["NextMarker"] as? String
            #expect(truncated == (marker != nil), "Truncated and NextMarker agree: \(result)")
            pages += 1
            try #require(pages <= 10, "paging does not end")
        } while marker != nil
        #expect(pages == (everyId.count + 1) / 2)
        #expect(seen == everyId, "every store exactly once, in the unpaged order")
    }

    @Test("a table page says how to get the next one")
    func tablePageHint() async throws {
        let world = try TestWorld()
        let result = try await world.run("list", "--limit", "2")
        expectSuccess(result)
        #expect(result.lines.count >= 3 && result.stdout.contains("--marker "), "\(result)")
    }

    @Test("a marker cks never returned: InvalidMarkerException", arguments: ["garbage", "bm90LWEtbWFya2Vy"])
    func badMarker(_ marker: String) async throws {
        let world = try TestWorld()
        let result = try await world.run("list", "--output", "json", "--marker", marker)
        expectKMSError(result, "InvalidMarkerException")
    }

    @Test("--limit outside 1-1000: ValidationException", arguments: ["0", "1001"])
    func limitOutOfRange(_ limit: String) async throws {
        let world = try TestWorld()
        let result = try await world.run("list", "--limit", limit)
        expectKMSError(result, "ValidationException")
    }
}
