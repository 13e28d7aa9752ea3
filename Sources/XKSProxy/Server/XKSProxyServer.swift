import Foundation
import HTTPServing
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// The XKS proxy's listener: HTTP/1.1 with keep-alive and pipelining on SwiftNIO, over TLS unless asked
/// for plain HTTP. Each connection gets the certificate the faults ask for at the time it opens. The
/// stop-listening fault closes the port and every connection; clearing it binds the same port again. It keeps
/// `cks serve`'s limits (`ServerLimits`): at the connection limit a new connection replaces the longest-idle
/// one (refused with a 429 ThrottlingException only when all are busy), and idle or slow connections close.
public final class XKSProxyServer: Sendable {
    private let group: MultiThreadedEventLoopGroup
    private let listener: Mutex<(any Channel)?>
    private let registry: ConnectionRegistry
    private let stopped = StopSignal()
    private let bootstrap: @Sendable () -> ServerBootstrap
    private let isStopping = Mutex(false)
    public let host: String
    /// The port it listens on (the one the system chose when asked for port 0).
    public let port: Int
    public let usesTLS: Bool

    private init(
        group: MultiThreadedEventLoopGroup, listener: any Channel, registry: ConnectionRegistry,
        bootstrap: @escaping @Sendable () -> ServerBootstrap, host: String, port: Int, usesTLS: Bool
    ) {
        self.group = group
        self.listener = Mutex(listener)
        self.registry = registry
        self.bootstrap = bootstrap
        self.host = host
        self.port = port
        self.usesTLS = usesTLS
    }

    /// Binds `host:port` (0 lets the system choose) and starts answering with `engine`, within `limits`.
    /// `tls` nil serves plain HTTP.
    public static func start(
        host: String, port: Int, engine: XKSProxyEngine, tls: ProxyTLSOptions?, log: RequestLog?,
        threads: Int = System.coreCount, limits: ServerLimits = .standard, now: Date = Date()
    ) async throws(XKSProxyError) -> XKSProxyServer {
        let contexts = try tls.map { options throws(XKSProxyError) in try ProxyTLSContexts(options, now: now) }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, threads))
        let registry = ConnectionRegistry(limit: limits.maxConnections)
        let makeBootstrap: @Sendable () -> ServerBootstrap = {
            ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 256)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let pipeline = channel.pipeline.syncOperations
                        if let contexts {
                            let context = contexts.context(for: engine.snapshot.faults.certificate)
                            try pipeline.addHandler(NIOSSLServerHandler(context: context))
                        }
                        guard registry.admit(channel) else {
                            try pipeline.addHandler(ConnectionRefusalHandler(answer: XKSRefusals.tooManyConnections(limit: registry.limit)))
                            return
                        }
                        channel.closeFuture.whenComplete { _ in registry.remove(channel) }
                        try pipeline.configureHTTPServerPipeline(withPipeliningAssistance: true, withErrorHandling: true)
                        try pipeline.addHandler(ProxyChannelHandler(engine: engine, log: log, requestTimeout: limits.requestTimeout,
                                                                    connections: registry))
                    }
                }
                .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
                .childChannelOption(.maxMessagesPerRead, value: 16)
        }
        do {
            let channel = try await makeBootstrap().bind(host: host, port: port).get()
            return XKSProxyServer(group: group, listener: channel, registry: registry, bootstrap: makeBootstrap,
                                  host: host, port: channel.localAddress?.port ?? port, usesTLS: tls != nil)
        } catch {
            try? await group.shutdownGracefully()
            if let io = error as? IOError, io.errnoCode == EADDRINUSE {
                throw XKSProxyError("Port \(port) on \(host) is already in use (another cks xks-proxy serve?). Stop that process or choose another port with --port.")
            }
            throw XKSProxyError("Cannot listen on \(host):\(port): \(error).")
        }
    }

    /// Whether the listening socket is open (it is not while the stop-listening fault is on).
    public var isListening: Bool { listener.withLock { $0 != nil } }

    /// Closes or reopens the port to match the stop-listening fault.
    public func follow(_ faults: ProxyFaults) async {
        if isStopping.withLock({ $0 }) { return }
        if faults.stopListening {
            guard let channel = listener.withLock({ value -> (any Channel)? in defer { value = nil }; return value }) else { return }
            try? await channel.close()
            await registry.closeAll()
        } else if !isListening {
            if let channel = try? await bootstrap().bind(host: host, port: port).get() {
                listener.withLock { $0 = channel }
            }
        }
    }

    /// Stops listening, closes every connection and ends the event loop threads. Safe to call more than once.
    public func stop() async {
        let first = isStopping.withLock { stopping in
            defer { stopping = true }
            return !stopping
        }
        guard first else {
            await stopped.wait()
            return
        }
        let channel = listener.withLock { value -> (any Channel)? in defer { value = nil }; return value }
        try? await channel?.close()
        await registry.closeAll()
        try? await group.shutdownGracefully()
        stopped.signal()
    }

    /// How many connections are open, and how many of them have a request under way.
    public var connections: (open: Int, busy: Int) { (registry.count, registry.busyCount) }

    /// Returns when `stop` has finished.
    public func waitUntilStopped() async {
        await stopped.wait()
    }
}

/// Wakes every waiter once something has happened, and any later waiter at once.
final class StopSignal: Sendable {
    private let state = Mutex<(done: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func signal() {
        let waiters = state.withLock { state in
            state.done = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func wait() async {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state in
                if !state.done { state.waiters.append(continuation) }
                return state.done
            }
            if done { continuation.resume() }
        }
    }
}
