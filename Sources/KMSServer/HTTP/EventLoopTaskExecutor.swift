import NIOCore

/// Runs a request's task on the event loop of its connection. Without it, every await inside the handler
/// (the simulator's non-isolated async code, each return from a database call) hops between NIO's thread and
/// the global pool; with it they stay on the loop's thread, which saves two thread switches per step.
final class EventLoopTaskExecutor: TaskExecutor {
    private let eventLoop: any EventLoop

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        eventLoop.execute { job.runSynchronously(on: executor) }
    }
}
