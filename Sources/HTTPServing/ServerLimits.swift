import Foundation
import NIOCore
#if canImport(Glibc)
import Glibc
#endif

/// What one server (`cks serve`, `cks xks-proxy serve`) accepts from its clients, so that hostile or broken ones
/// cannot exhaust it: at most `maxConnections` at once (leaving descriptors for its files and the system; at the
/// limit a new connection replaces the longest-idle one, see `ConnectionRegistry`), and a complete request
/// within `requestTimeout` of a connection opening or of its last answer (a client that sends a byte a second,
/// or an idle keep-alive connection, is closed). Bodies are bounded by each server's own limit (`RequestCollector`),
/// and headers by NIO's parser (80 KiB).
public struct ServerLimits: Sendable {
    public var maxConnections: Int
    public var requestTimeout: TimeAmount

    public init(maxConnections: Int, requestTimeout: TimeAmount) {
        self.maxConnections = maxConnections
        self.requestTimeout = requestTimeout
    }

    /// Descriptors kept free for the world file, its WAL, the readers, the change monitor and the standard ones.
    public static let reservedDescriptors = 64

    /// 1,024 connections, or fewer when the process may open fewer descriptors; 20 s for a request.
    public static var standard: ServerLimits {
        ServerLimits(maxConnections: min(1_024, max(8, openFileLimit() - reservedDescriptors)), requestTimeout: .seconds(20))
    }

    /// The soft limit on open descriptors (RLIMIT_NOFILE).
    public static func openFileLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1_024 }
        return Int(clamping: limit.rlim_cur)
    }
}
