import Assets
import Foundation

/// What a ConnectionErrorCode means and how to fix it, for one type of store.
public struct TroubleshootingEntry: Sendable, Hashable, Codable {
    public var code: ConnectionErrorCode
    public var storeTypes: [CustomKeyStoreType]
    public var title: String
    public var meaning: String
    public var likelyCause: String
    public var fixSteps: [String]
    /// What the repair does between the disconnect and the connect.
    public var repair: RepairPath

    public init(code: ConnectionErrorCode, storeTypes: [CustomKeyStoreType], title: String, meaning: String,
                likelyCause: String, fixSteps: [String], repair: RepairPath) {
        self.code = code
        self.storeTypes = storeTypes
        self.title = title
        self.meaning = meaning
        self.likelyCause = likelyCause
        self.fixSteps = fixSteps
        self.repair = repair
    }
}

/// The troubleshooting catalogue (assets/troubleshooting.json): every ConnectionErrorCode with its fix.
public struct TroubleshootingCatalogue: Sendable {
    public let entries: [TroubleshootingEntry]

    public init(entries: [TroubleshootingEntry]) {
        self.entries = entries
    }

    /// Reads the catalogue's JSON form.
    public init(json: Data) throws {
        struct File: Decodable { var entries: [TroubleshootingEntry] }
        self.entries = try JSONDecoder().decode(File.self, from: json).entries
    }

    /// The catalogue compiled into the binary.
    public static let standard: TroubleshootingCatalogue = {
        guard let data = Assets.data("troubleshooting.json"), let catalogue = try? TroubleshootingCatalogue(json: data) else {
            return TroubleshootingCatalogue(entries: [])
        }
        return catalogue
    }()

    /// The entry for a code and store type (INVALID_CREDENTIALS differs between CloudHSM and external stores).
    public func entry(for code: ConnectionErrorCode, storeType: CustomKeyStoreType = .awsCloudHSM) -> TroubleshootingEntry? {
        entries.first { $0.code == code && $0.storeTypes.contains(storeType) } ?? entries.first { $0.code == code }
    }
}
