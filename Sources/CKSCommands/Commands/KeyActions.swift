import ArgumentParser
import Foundation
import KeyStoreEngine

/// `cks enable-key`: EnableKey.
typealias EnableKey = KeyStateCommand<EnableKeyAction>
/// `cks disable-key`: DisableKey.
typealias DisableKey = KeyStateCommand<DisableKeyAction>
/// `cks cancel-key-deletion`: CancelKeyDeletion.
typealias CancelKeyDeletion = KeyStateCommand<CancelKeyDeletionAction>

/// What tells the key actions without options apart: the call, its help and what cks says after it.
protocol KeyStateAction {
    static var action: KeyAction { get }
    static var configuration: CommandConfiguration { get }
    static func perform(_ keyId: String, on service: any KMSKeyService) async throws(KMSError)
    /// What cks says once KMS accepted the action; `key` is the key as KMS describes it afterwards.
    static func report(_ key: KMSKey) -> String
}

enum EnableKeyAction: KeyStateAction {
    static let action = KeyAction.enable
    static let configuration = CommandConfiguration(
        commandName: "enable-key",
        abstract: "Enable a KMS key (EnableKey).",
        discussion: "Works on an Unavailable key too (its store not CONNECTED): it shows Enabled once the store is connected. A key pending deletion needs `cks cancel-key-deletion` first."
    )
    static func perform(_ keyId: String, on service: any KMSKeyService) async throws(KMSError) { try await service.enableKey(keyId) }
    static func report(_ key: KMSKey) -> String { "Enabled \(key.id)." + KeyReport.unavailableNote(key, becomes: .enabled) }
}

enum DisableKeyAction: KeyStateAction {
    static let action = KeyAction.disable
    static let configuration = CommandConfiguration(
        commandName: "disable-key",
        abstract: "Disable a KMS key (DisableKey): it cannot be used until it is enabled again.",
        discussion: "Works on an Unavailable key too (its store not CONNECTED): it shows Disabled once the store is connected."
    )
    static func perform(_ keyId: String, on service: any KMSKeyService) async throws(KMSError) { try await service.disableKey(keyId) }
    static func report(_ key: KMSKey) -> String { "Disabled \(key.id)." + KeyReport.unavailableNote(key, becomes: .disabled) }
}

enum CancelKeyDeletionAction: KeyStateAction {
    static let action = KeyAction.cancelDeletion
    static let configuration = CommandConfiguration(
        commandName: "cancel-key-deletion",
        abstract: "Cancel the scheduled deletion of a KMS key (CancelKeyDeletion); it comes back Disabled.",
        discussion: "Works while the key's store is disconnected too."
    )
    static func perform(_ keyId: String, on service: any KMSKeyService) async throws(KMSError) { try await service.cancelKeyDeletion(keyId) }
    static func report(_ key: KMSKey) -> String {
        "Cancelled the deletion of \(key.id): it is Disabled" + KeyReport.unavailableNote(key, becomes: .disabled, sentence: false)
            + ". Enable it with: cks enable-key \(key.id)"
    }
}

/// `cks enable-key`, `cks disable-key` and `cks cancel-key-deletion`: one call on one key, then its state.
struct KeyStateCommand<Action: KeyStateAction>: AsyncParsableCommand {
    static var configuration: CommandConfiguration { Action.configuration }

    @Argument(help: "The key's ID or ARN (`cks keys STORE` lists them).") var key: String
    @Option(name: [.short, .long], help: "table or json.") var output: OutputFormat = .table
    @OptionGroup var world: WorldOptions

    func run() async throws {
        try await reportingErrors {
            try world.refuseIfReadOnly(KeyReport.change(Action.action))
            let service = try world.openKeyService()
            try await Action.perform(key, on: service)
            let after = try await service.describeKey(key)
            if output == .json {
                print(Action.action == .cancelDeletion ? JSONValue.object([("KeyId", .string(after.arn))]).prettyPrinted() : "{}")
            } else {
                print(Action.report(after))
            }
        }
    }
}

/// `cks schedule-key-deletion`: ScheduleKeyDeletion.
struct ScheduleKeyDeletion: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule-key-deletion",
        abstract: "Schedule the deletion of a KMS key after a waiting period of 7 to 30 days (ScheduleKeyDeletion).",
        discussion: "The key is PendingDeletion until then (also while its store is disconnected) and can be restored with `cks cancel-key-deletion`. A store can be deleted only once all its keys are deleted."
    )

    @Argument(help: "The key's ID or ARN (`cks keys STORE` lists them).") var key: String
    @Option(help: "The waiting period in days, 7 to 30.") var days: Int = KeyRules.defaultPendingWindowDays
    @Option(name: [.short, .long], help: "table or json.") var output: OutputFormat = .table
    @OptionGroup var world: WorldOptions

    func run() async throws {
        try await reportingErrors {
            try world.refuseIfReadOnly(KeyReport.change(.scheduleDeletion))
            let service = try world.openKeyService()
            let deletion = try await service.scheduleKeyDeletion(key, pendingWindowInDays: days)
            let after = try await service.describeKey(key)
            if output == .json {
                print(JSONValue.object([
                    ("KeyId", .string(after.arn)),
                    ("DeletionDate", .number(deletion.kmsEpochSeconds)),
                    ("KeyState", .string(after.keyState.rawValue)),
                    ("PendingWindowInDays", .integer(days)),
                ]).prettyPrinted())
            } else {
                print("Scheduled the deletion of \(after.id) on \(UTCDate.string(deletion, "yyyy-MM-dd HH:mm 'UTC'")) (in \(days) days): it is \(after.keyState.rawValue) until then. "
                      + "Cancel it with: cks cancel-key-deletion \(after.id)")
            }
        }
    }
}

/// Words the key actions share.
enum KeyReport {
    /// What `--read-only` refuses, for its message.
    static func change(_ action: KeyAction) -> String {
        switch action {
        case .enable: "enable KMS keys"
        case .disable: "disable KMS keys"
        case .scheduleDeletion: "schedule the deletion of KMS keys"
        case .cancelDeletion: "cancel the deletion of KMS keys"
        }
    }

    /// For a key that stays Unavailable (its store not CONNECTED): when it will show `state`.
    static func unavailableNote(_ key: KMSKey, becomes state: KeyState, sentence: Bool = true) -> String {
        guard key.keyState == .unavailable else { return "" }
        let store = key.customKeyStoreId.map { "its custom key store \($0)" } ?? "its key store"
        return sentence
            ? " It stays Unavailable while \(store) is not CONNECTED, and is \(state.rawValue) once the store is connected."
            : " (Unavailable while \(store) is not CONNECTED)"
    }
}
