import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

#if os(Linux)
/// C functions the Glibc module does not import (they need _GNU_SOURCE / _XOPEN_SOURCE).
private enum CFunctions {
    @_silgen_name("pipe2") static func pipe2(_ fds: UnsafeMutablePointer<Int32>, _ flags: Int32) -> Int32
    @_silgen_name("posix_openpt") static func posix_openpt(_ flags: Int32) -> Int32
    @_silgen_name("grantpt") static func grantpt(_ fd: Int32) -> Int32
    @_silgen_name("unlockpt") static func unlockpt(_ fd: Int32) -> Int32
    @_silgen_name("ptsname_r") static func ptsname_r(_ fd: Int32, _ buffer: UnsafeMutablePointer<CChar>, _ length: Int) -> Int32
}
#endif

/// Pipes and pseudo-terminals for a child's output, close-on-exec on both ends (the child gets its end
/// duplicated onto a standard descriptor, so no other child inherits either).
enum Descriptors {
    /// A pipe: the child writes `write`, we read `read`.
    static func pipe() throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        #if os(Linux)
        guard CFunctions.pipe2(&fds, O_CLOEXEC) == 0 else { throw SpawnFailed("pipe2: \(String(cString: strerror(errno)))") }
        #else
        guard Darwin.pipe(&fds) == 0 else { throw SpawnFailed("pipe: \(String(cString: strerror(errno)))") }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        #endif
        return (fds[0], fds[1])
    }

    /// A pseudo-terminal: the child writes `write` (so isatty is true) and we read the controller, `read`.
    static func terminal() throws -> (read: Int32, write: Int32) {
        #if os(Linux)
        let controller = CFunctions.posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC)
        var nameBuffer = [CChar](repeating: 0, count: 128)
        guard controller >= 0, CFunctions.grantpt(controller) == 0, CFunctions.unlockpt(controller) == 0,
              CFunctions.ptsname_r(controller, &nameBuffer, nameBuffer.count) == 0 else {
            throw SpawnFailed("cannot open a pseudo-terminal: \(String(cString: strerror(errno)))")
        }
        let name = String(decoding: nameBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        #else
        let controller = posix_openpt(O_RDWR | O_NOCTTY)
        guard controller >= 0, grantpt(controller) == 0, unlockpt(controller) == 0, let cName = ptsname(controller) else {
            throw SpawnFailed("cannot open a pseudo-terminal: \(String(cString: strerror(errno)))")
        }
        _ = fcntl(controller, F_SETFD, FD_CLOEXEC)
        let name = String(cString: cName)
        #endif
        let terminal = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard terminal >= 0 else { throw SpawnFailed("cannot open \(name)") }
        return (controller, terminal)
    }
}
