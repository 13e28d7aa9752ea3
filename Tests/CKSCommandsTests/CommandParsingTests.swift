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
}
