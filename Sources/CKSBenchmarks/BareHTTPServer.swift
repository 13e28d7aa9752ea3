import Foundation
import HTTPServing
import NIOCore
import NIOHTTP1
import NIOPosix

/// The floor under `cks serve`: NIO's HTTP/1.1 server with the same pipeline and threads, answering every
/// request with the same fixed DescribeKey answer and reading nothing of it (no SigV4, no JSON, no world).
/// `CKSBenchmarks bare-http PORT` serves until killed; point `wrk` or `cks-load` at it beside `cks serve`.
/// With `--deferred` the answer is written from a task on the event loop, after the read, as `cks serve`'s
/// answers are (it measures what that hop costs).
enum BareHTTPServer {
    static let answer: [UInt8] = Array(#"""
        {"KeyMetadata":{"AWSAccountId":"111122223333","Arn":"arn:aws:kms:us-east-1:111122223333:key/9f0e8b1c-2d3a-4b5c-8d7e-6f5a4b3c2d1e","CreationDate":1.7648e9,"CustomKeyStoreId":"cks-1a2b3c4d5e6f70819","Description":"bench","Enabled":true,"KeyId":"9f0e8b1c-2d3a-4b5c-8d7e-6f5a4b3c2d1e","KeyManager":"CUSTOMER","KeyState":"Enabled","KeyUsage":"ENCRYPT_DECRYPT","Origin":"AWS_CLOUDHSM"}}
        """#.utf8)

    static func run(arguments: [String]) throws {
        guard let port = arguments.first.flatMap(Int.init) else {
            throw BenchmarkFailure("usage: CKSBenchmarks bare-http PORT [--deferred]")
        }
        let deferred = arguments.contains("--deferred")
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let channel = try ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    try pipeline.configureHTTPServerPipeline(withPipeliningAssistance: true, withErrorHandling: false,
                                                             withOutboundHeaderValidation: false)
                    try pipeline.addHandler(FixedAnswerHandler(deferred: deferred))
                }
            }
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .bind(host: "127.0.0.1", port: port).wait()
        Benchmarks.say("bare NIO HTTP server on http://127.0.0.1:\(port) (\(deferred ? "answers from a task" : "answers in channelRead")); Ctrl-C stops it")
        try channel.closeFuture.wait()
    }
}

/// Answers each whole request with `BareHTTPServer.answer`.
private final class FixedAnswerHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart
    private let deferred: Bool

    init(deferred: Bool) {
        self.deferred = deferred
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case let .end = unwrapInboundIn(data) else { return }
        let answer = { [context] in
            context.writeHTTPAnswer(status: 200, headers: [("Content-Type", "application/x-amz-json-1.1"),
                                                           ("x-amzn-RequestId", "3f2e1d0c-b9a8-4765-8432-10fedcba9876")],
                                    body: BareHTTPServer.answer, version: .http1_1, keepAlive: true)
        }
        if deferred {
            context.eventLoop.assumeIsolated().execute(answer)
        } else {
            answer()
        }
    }
}
