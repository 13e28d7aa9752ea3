/// Why a world could not be opened. Nothing is ever overwritten when one of these is thrown.
public enum WorldError: Error, Sendable, CustomStringConvertible {
    case cannotCreateHome(path: String, reason: String)
    case corrupt(path: String, reason: String)
    case notAWorld(path: String)
    case newerVersion(path: String, fileVersion: String)
    case unusable(path: String, reason: String)

    public var description: String {
        switch self {
        case let .cannotCreateHome(path, reason):
            "Cannot create the cks home folder \(path): \(reason). Set CKS_HOME to a folder you can write."
        case let .corrupt(path, reason):
            "The world file \(path) is damaged (\(reason)). cks leaves it untouched. Move it away to start a fresh demo world (mv \(path) \(path).broken), or set CKS_HOME to another folder."
        case let .notAWorld(path):
            "\(path) is an SQLite file but not a cks world. cks leaves it untouched. Set CKS_HOME to another folder, or move the file away."
        case let .newerVersion(path, fileVersion):
            "The world file \(path) was written by a newer cks (schema \(fileVersion)). cks leaves it untouched. Upgrade cks, or set CKS_HOME to another folder."
        case let .unusable(path, reason):
            "Cannot open the world file \(path): \(reason)."
        }
    }
}
