import Foundation
import HTTPServing
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// Why the server could not start listening.
public enum ServerStartError: Error, Sendable, CustomStringConvertible {
    case addressInUse(host: String, port: Int)
    case cannotListen(host: String, port: Int, reason: String)

    public var description: String {
        switch self {
        case let .addressInUse(host, port):
            "Port \(port) on \(host) is already in use (another cks serve?). Stop that process or choose another port with --port."
        case let .cannotListen(host, port, reason):
            "Cannot listen on \(host):\(port): \(reason)."
        }
    }
}

/// `KMSRequestHandler` served over HTTP/1.1 with keep-alive and pipelining, on SwiftNIO.
public final class KMSHTTPServer: Sendable {
    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel
    private let stopping = Mutex<Task<Void, Never>?>(nil)
    public let host: String
    /// The port it listens on (the one the system chose when asked for port 0).
    public let port: Int

    private init(group: MultiThreadedEventLoopGroup, channel: any Channel, host: String, port: Int) {
        self.group = group
        self.channel = channel
        self.host = host
        self.port = port
    }

    /// How many event loop threads `cks serve` runs: `CKS_SERVE_THREADS` if set (for measuring), else one per
    /// core. Measured on 2 cores with the load client on the same cores, one loop served 16-39% fewer requests
    /// with 8 clients than two: the scheduler gives each runnable thread its share, so one loop got less.
    public static var defaultThreads: Int {
        if let text = ProcessInfo.processInfo.environment["CKS_SERVE_THREADS"], let count = Int(text), (1...64).contains(count) {
            return count
        }
        return System.coreCount
    }

    /// Binds `host:port` and starts answering, within `limits`.
    public static func start(
        host: String, port: Int, handler: KMSRequestHandler, threads: Int = KMSHTTPServer.defaultThreads,
        limits: ServerLimits = .standard
    ) async throws(ServerStartError) -> KMSHTTPServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, threads))
        let connections = ConnectionRegistry(limit: limits.maxConnections)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    guard connections.admit(channel) else {
                        try pipeline.addHandler(ConnectionRefusalHandler(answer: HTTPRefusals.tooManyConnections(limit: connections.limit)))
                        return
                    }
                    channel.closeFuture.whenComplete { _ in connections.remove(channel) }
                    // The answers' headers are the server's own (fixed names, generated values): NIO's check of every
                    // outbound header was a sixteenth of a request's cost.
                    try pipeline.configureHTTPServerPipeline(withPipeliningAssistance: true, withErrorHandling: false,
                                                             withOutboundHeaderValidation: false)
                    try pipeline.addHandler(HTTPChannelHandler(handler: handler, requestTimeout: limits.requestTimeout,
                                                               connections: connections))
                }
            }
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.maxMessagesPerRead, value: 16)
        do {
            let channel = try await bootstrap.bind(host: host, port: port).get()
            return KMSHTTPServer(group: group, channel: channel, host: host, port: channel.localAddress?.port ?? port)
        } catch {
            try? await group.shutdownGracefully()
            if let io = error as? IOError, io.errnoCode == EADDRINUSE { throw .addressInUse(host: host, port: port) }
            throw .cannotListen(host: host, port: port, reason: "\(error)")
        }
    }

    /// Stops listening, closes every connection and ends the event loop threads. Safe to call more than
    /// once and from several tasks: each returns when the server has stopped.
    public func stop() async {
        let (channel, group) = (self.channel, self.group)
        let task = stopping.withLock { running in
            if let running { return running }
            let task = Task {
                try? await channel.close()
                try? await group.shutdownGracefully()
            }
            running = task
            return task
        }
        await task.value
    }

    /// Returns when the listening socket has closed.
    public func waitUntilClosed() async {
        try? await channel.closeFuture.get()
    }
}
