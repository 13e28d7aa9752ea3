import ArgumentParser
@testable import CKSCommands
import Testing

/// `cks NAME …` is parsed as NAME alone when it can be (start-up), else through the whole command tree.
@Suite("Parsing a command line")
struct CommandParsingTests {
    @Test("the table of leaf commands names every subcommand without subcommands, as ArgumentParser names it")
    func leafTableMatchesTheTree() {
        let leaves = CKS.configuration.subcommands.filter { $0.configuration.subcommands.isEmpty }
        for command in leaves {
            let found = CKS.leafCommand(named: command._commandName)
            #expect(found.map(ObjectIdentifier.init) == ObjectIdentifier(command), "\(command._commandName)")
        }
        for command in CKS.configuration.subcommands where !command.configuration.subcommands.isEmpty {
            #expect(CKS.leafCommand(named: command._commandName) == nil, "\(command._commandName) has subcommands")
        }
    }

    @Test("a leaf command parses to the same command and options either way")
    func leafCommandParsesAlone() throws {
        let arguments = ["list", "--output", "json", "--backend", "aws", "--region", "eu-west-1", "--limit", "5"]
        let direct = try #require(try CKS.parseCommand(arguments) as? ListStores)
        let whole = try #require(try CKS.parseAsRoot(arguments) as? ListStores)
        #expect(direct.output == whole.output)
        #expect(direct.limit == whole.limit)
        #expect(direct.world.backend == whole.world.backend)
        #expect(direct.world.region == whole.world.region)
    }

    @Test("help, mistakes and options of cks itself go through the whole tree", arguments: [
        ["list", "--help"], ["list", "--output", "yaml"], ["list", "--id", "a", "--name", "b"], ["list", "--version"],
        ["keys"], ["sim", "clusters"], ["--version"],
    ])
    func everythingElseGoesTheWholeWay(arguments: [String]) {
        let direct = Result { try CKS.parseCommand(arguments) }
        let whole = Result { try CKS.parseAsRoot(arguments) }
        switch (direct, whole) {
        case let (.success(a), .success(b)):
            #expect(String(describing: type(of: a)) == String(describing: type(of: b)))
        case let (.failure(a), .failure(b)):
            #expect(CKS.fullMessage(for: a) == CKS.fullMessage(for: b))
            #expect(CKS.exitCode(for: a) == CKS.exitCode(for: b))
        default:
            Issue.record("\(arguments): \(direct) but the whole tree gives \(whole)")
        }
    }

    /// Every field of a parsed `cks list`, as text.
    static func fields(_ list: ListStores) -> String {
        let world = list.world
        return [list.id, list.name, list.type?.rawValue, list.limit.map(String.init), list.marker, list.output.rawValue,
                world.pace?.rawValue, world.backend.rawValue, world.region, world.profile, world.endpointUrl,
                String(world.readOnly)].map { $0 ?? "-" }.joined(separator: "|")
    }

    @Test("cks list's quick parse gives what ArgumentParser gives, or leaves the line to it", arguments: [
        [], ["--output", "json"], ["-o", "json"], ["-o", "table"], ["--backend", "aws", "--endpoint-url", "http://127.0.0.1:4599"],
        ["--backend", "aws", "--region", "eu-west-1,us-east-1", "--profile", "ops", "-o", "json"],
        ["--id", "cks-1a2b3c4d5e6f70819"], ["--name", "payments-prod", "--type", "cloudhsm"], ["--type", "external", "--read-only"],
        ["--limit", "5", "--marker", "m1"], ["--pace", "instant"], ["--read-only", "-o", "json", "--limit", "1000"],
        // Left to ArgumentParser: help, mistakes, other spellings, repeats, values that look like options.
        ["--help"], ["-h"], ["--output", "yaml"], ["--output=json"], ["-ojson"], ["--id", "a", "--name", "b"], ["--limit", "x"],
        ["--region", "eu-west-1"], ["--output", "json", "--output", "table"], ["--read-only", "--read-only"], ["--name", "-x"],
        ["--type"], ["--version"], ["--pace", "slow"], ["extra"], ["--backend", "simulator", "--profile", "p"],
    ])
    func quickParseOfList(arguments: [String]) throws {
        let quick = ListStores.quickParse(arguments)
        let full = Result { try ListStores.parse(arguments) }
        if let quick {
            let parsed = try #require(try? full.get(), "quick parse took \(arguments), ArgumentParser refuses it")
            #expect(Self.fields(quick) == Self.fields(parsed))
        }
        let plain = !arguments.contains { ["--help", "-h", "--version", "yaml", "--output=json", "-ojson", "x", "-x", "slow", "extra"].contains($0) }
            && Set(arguments).count == arguments.count && (try? full.get()) != nil
        #expect((quick != nil) == plain, "\(arguments): the quick parse should take exactly the plain, valid lines")
    }
}
