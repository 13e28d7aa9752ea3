import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a small regular file, and nothing else: a FIFO would block the read forever and a device such as
/// `/dev/zero` (whose size says 0) would never end, so both are refused, and at most `limit + 1` bytes are read.
enum RegularFile {
    /// Why the bytes could not be had.
    enum Failure: Error, Equatable {
        case missing
        case folder
        /// A FIFO, a device or a socket.
        case notRegular
        /// Larger than the limit: its size when the file says it, else nil (it grew past the limit while read).
        case tooLarge(size: Int?)
        case unreadable(errno: Int32)
    }

    static func read(_ path: String, limit: Int) -> Result<[UInt8], Failure> {
        var info = stat()
        guard stat(path, &info) == 0 else { return .failure(errno == ENOENT || errno == ENOTDIR ? .missing : .unreadable(errno: errno)) }
        if info.st_mode & S_IFMT == S_IFDIR { return .failure(.folder) }
        guard info.st_mode & S_IFMT == S_IFREG else { return .failure(.notRegular) }
        if Int(info.st_size) > limit { return .failure(.tooLarge(size: Int(info.st_size))) }
        // O_NONBLOCK: should the path have become a FIFO since stat, opening it does not wait for a writer.
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { return .failure(.unreadable(errno: errno)) }
        defer { close(descriptor) }
        guard fstat(descriptor, &info) == 0 else { return .failure(.unreadable(errno: errno)) }
        guard info.st_mode & S_IFMT == S_IFREG else { return .failure(.notRegular) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while bytes.count <= limit {
            let wanted = min(chunk.count, limit + 1 - bytes.count)
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, wanted) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(.unreadable(errno: errno))
            }
            if count == 0 { break }
            bytes += chunk[..<count]
        }
        return bytes.count > limit ? .failure(.tooLarge(size: nil)) : .success(bytes)
    }
}
