import AWSBackend
import Foundation
import KeyStoreEngine
import Testing

/// The key actions of `KMSKeyService` on the AWS backend, against a real `cks serve`: the requests KMS takes
/// and KMS's rules in its answers.
@Suite("Key actions on the AWS backend", .serialized,
       .enabled(if: CKSBinary.hasServe, "`cks serve --help` fails: this cks has no serve command (built from an older tree?)"))
struct KeyActionsOverServeTests {
    static let payments = "cks-1a2b3c4d5e6f70819"

    func service(_ world: ServeWorld) throws -> AWSKeyStoreService {
        let settings = AWSSettings(
            profile: "default", region: world.region, customEndpoint: try #require(URL(string: world.url)),
            credentials: .fixed(.init(accessKeyId: ServeWorld.accessKeyId, secretAccessKey: ServeWorld.secretAccessKey), origin: "test"))
        return AWSKeyStoreService(settings: settings, environment: AWSEnvironment(variables: [:], homeDirectory: "/nonexistent"))
    }

    @Test func disableEnableScheduleCancel() async throws {
        let world = try await ServeWorld.start()
        let service = try service(world)
        let keys: any KMSKeyService = service
        let key = try #require(try await service.keys(inKeyStore: Self.payments).first { $0.keyState == .enabled })

        try await keys.disableKey(key.id)
        #expect(try await keys.describeKey(key.id).keyState == .disabled)
        #expect(try await service.history(ofKeyStore: Self.payments).map(\.kind).contains(.keyStateChanged(keyId: key.id, from: .enabled, to: .disabled)),
                "the change this session made is an event at once")
        try await keys.enableKey(key.arn)
        #expect(try await keys.describeKey(key.id).keyState == .enabled)

        do {
            _ = try await keys.scheduleKeyDeletion(key.id, pendingWindowInDays: 6)
            Issue.record("a 6-day window was accepted")
        } catch {
            #expect(error.code == .validation && error.message.contains("between 7 and 30"), "\(error)")
        }
        let deletion = try await keys.scheduleKeyDeletion(key.id, pendingWindowInDays: 7)
        #expect(abs(deletion.timeIntervalSinceNow - 7 * 86_400) < 3600, "\(deletion)")
        #expect(try await keys.describeKey(key.id).keyState == .pendingDeletion)
        do {
            try await keys.enableKey(key.id)
            Issue.record("a key pending deletion was enabled")
        } catch {
            #expect(error.code == .kmsInvalidState && error.message == "\(key.arn) is pending deletion. Cancel the deletion first.", "\(error)")
        }
        try await keys.cancelKeyDeletion(key.id)
        #expect(try await keys.describeKey(key.id).keyState == .disabled, "a cancelled deletion leaves the key Disabled")
        do {
            try await keys.cancelKeyDeletion(key.id)
            Issue.record("a key not pending deletion had its deletion cancelled")
        } catch {
            #expect(error.code == .kmsInvalidState && error.message == "\(key.arn) is not pending deletion.", "\(error)")
        }
    }
}
