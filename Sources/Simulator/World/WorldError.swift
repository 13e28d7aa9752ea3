import Foundation
import GRDB

/// Why a world could not be opened or written. Nothing is ever overwritten when one of these is thrown.
public enum WorldError: Error, Sendable, CustomStringConvertible {
    case cannotCreateHome(path: String, reason: String)
    case corrupt(path: String, reason: String)
    case notAWorld(path: String)
    case newerVersion(path: String, fileVersion: String)
    case unusable(path: String, reason: String)
    /// The disk holding the world has no room left.
    case diskFull(path: String)
    /// The world file, or its folder, cannot be written.
    case readOnly(path: String)
    /// Another process held the world's write lock longer than the busy timeout.
    case busy(path: String, seconds: Int)

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
        case let .diskFull(path):
            "The disk that holds the world file \(path) is full, so cks cannot write to it. Nothing was changed, and nothing already in the world is lost. Free some space on that disk (df -h \(Self.folder(of: path))), then run the command again."
        case let .readOnly(path):
            "The world file \(path) cannot be written: the file, its folder or its file system is read-only (cks also writes world.sqlite-wal and world.sqlite-shm next to it). Nothing was changed. Make \(Self.folder(of: path)) writable, or set CKS_HOME to a folder you can write."
        case let .busy(path, seconds):
            "Another process held the world file \(path) locked for more than \(seconds) s (a cks busy writing, or an sqlite3 shell with a transaction open?), so cks gave up. Nothing was changed. End that transaction or process, then run the command again."
        }
    }

    private static func folder(of path: String) -> String {
        URL(fileURLWithPath: path).deletingLastPathComponent().path
    }

    /// The machine's reason an SQLite call on the world failed, when it is one: a full disk, a read-only file
    /// or folder, a lock held too long. nil for anything else.
    static func machineLimit(_ error: any Error, path: String) -> WorldError? {
        guard let error = error as? DatabaseError else { return nil }
        switch error.resultCode {
        case .SQLITE_FULL: return .diskFull(path: path)
        case .SQLITE_READONLY: return .readOnly(path: path)
        case .SQLITE_BUSY, .SQLITE_LOCKED: return .busy(path: path, seconds: WorldDatabase.busyTimeoutSeconds)
        case .SQLITE_IOERR, .SQLITE_CANTOPEN: return folderLimit(path: path)
        default: return nil
        }
    }

    /// A read-only or full file system under the world's folder (SQLite reports both as an I/O error when
    /// it cannot create its -wal or -shm file), or nil.
    static func folderLimit(path: String, errno code: Int32? = nil) -> WorldError? {
        if code == EROFS || code == EACCES || code == EPERM { return .readOnly(path: path) }
        if code == ENOSPC || code == EDQUOT { return .diskFull(path: path) }
        var info = statvfs()
        guard statvfs(folder(of: path), &info) == 0 else { return nil }
        if info.f_flag & UInt(ST_RDONLY) != 0 { return .readOnly(path: path) }
        if UInt64(info.f_bavail) * UInt64(info.f_frsize) < 64 * 1_024 { return .diskFull(path: path) }
        return nil
    }
}
