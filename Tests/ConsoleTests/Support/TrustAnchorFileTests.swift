import Foundation
import Glibc
@testable import Console
import KeyStoreEngine
import Testing

@Suite("The trust anchor file of the create form")
struct TrustAnchorFileTests {
    /// A folder of its own with the files a person might point the form at.
    final class Folder {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cks-anchor-\(UUID().uuidString)").path

        init() throws {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }

        deinit { try? FileManager.default.removeItem(atPath: path) }

        func write(_ name: String, _ text: String) throws -> String {
            let file = path + "/" + name
            try text.write(toFile: file, atomically: true, encoding: .utf8)
            return file
        }
    }

    func message(_ result: Result<String, FormState.Problem>) -> String? {
        if case let .failure(problem) = result { return problem.message }
        return nil
    }

    @Test func aPEMCertificateIsRead() throws {
        let folder = try Folder()
        let file = try folder.write("customerCA.crt", Fixtures.trustAnchor)
        #expect(try TrustAnchorFile.read(file).get() == Fixtures.trustAnchor)
    }

    @Test func whatIsNotACertificateSaysWhatToGive() throws {
        let folder = try Folder()
        #expect(message(TrustAnchorFile.read(folder.path + "/missing.crt"))
            == "There is no file \(folder.path)/missing.crt. Give the path to the customerCA.crt that was used to initialize the cluster.")
        #expect(message(TrustAnchorFile.read(folder.path))?.hasPrefix("\(folder.path) is a folder.") == true)
        let key = try folder.write("key.pem", "-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----\n")
        #expect(message(TrustAnchorFile.read(key))?.hasPrefix("\(key) is not a PEM certificate (no -----BEGIN CERTIFICATE----- block).") == true)
        let cut = try folder.write("cut.crt", "-----BEGIN CERTIFICATE-----\nMAUwAw==\n-----END CERTIFICATE-----\n")
        #expect(message(TrustAnchorFile.read(cut))?.hasPrefix("\(cut) holds a damaged certificate (length runs past the end).") == true)
    }

    @Test func onlyARegularFileIsRead() throws {
        let folder = try Folder()
        let fifo = folder.path + "/customerCA.crt"
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(message(TrustAnchorFile.read(fifo))?.hasPrefix("\(fifo) is not a regular file (a pipe, a device or a socket).") == true,
                "a FIFO is refused at once, not read until a writer comes")
        #expect(message(TrustAnchorFile.read("/dev/zero"))?.hasPrefix("/dev/zero is not a regular file") == true,
                "a device whose size says 0 is not read without end")
    }

    @Test func aFileLargerThanACertificateIsNotReadWhole() throws {
        let folder = try Folder()
        let file = try folder.write("huge.crt", String(repeating: "A", count: TrustAnchorFile.maximumSize + 1))
        #expect(message(TrustAnchorFile.read(file)) == "\(file) is 1024 KB, far too large for a certificate: is it the customerCA.crt?")
        #expect(RegularFile.read(file, limit: 10) == .failure(.tooLarge(size: TrustAnchorFile.maximumSize + 1)))
        let small = try folder.write("small.txt", "0123456789")
        #expect(RegularFile.read(small, limit: 10) == .success(Array("0123456789".utf8)))
    }

    @Test func aDamagedBlockIsNotCalledMissing() throws {
        let folder = try Folder()
        let file = try folder.write("customerCA.crt", "-----BEGIN CERTIFICATE-----\nMIIB!!*\n-----END CERTIFICATE-----\n")
        #expect(message(TrustAnchorFile.read(file))
            == "\(file) holds a damaged certificate (the base64 of the CERTIFICATE block is damaged). "
            + "Give the customerCA.crt that was used to initialize the cluster.")
    }

    @Test func aLeadingByteOrderMarkIsAccepted() throws {
        let folder = try Folder()
        let file = try folder.write("customerCA.crt", "\u{FEFF}" + Fixtures.trustAnchor)
        #expect(try TrustAnchorFile.read(file).get() == Fixtures.trustAnchor, "read, and sent without the mark")
    }

    @Test func theRunnerReadsTheFileBeforeSendingAnything() async throws {
        let folder = try Folder()
        let service = FakeKeyStoreService(clusters: Fixtures.clustersWithoutAnchors)
        let draft = CreateDraft(name: "payments-2", cloudHsmClusterId: "cluster-free7g2h3i4j", trustAnchorPath: folder.path + "/none.crt",
                                keyStorePassword: "kmsuserPass1")
        guard case let .failure(problem) = try await EffectRunner.createRequest(draft, service: service) else {
            Issue.record("a missing file was accepted")
            return
        }
        #expect(problem.field == .trustAnchor)
        var empty = draft
        empty.trustAnchorPath = ""
        guard case .failure = try await EffectRunner.createRequest(empty, service: service) else {
            Issue.record("an empty field was accepted for a cluster without a known trust anchor")
            return
        }
        var good = draft
        good.trustAnchorPath = try folder.write("customerCA.crt", Fixtures.trustAnchor)
        let request = try await EffectRunner.createRequest(good, service: service).get()
        #expect(request.cloudHSM?.trustAnchorCertificate == Fixtures.trustAnchor)
        #expect(await service.callLog().isEmpty)
    }
}
