import NIOCore

/// Runs a request's task on the event loop of its connection. Without it, the task and each await inside the
/// handler (the simulator's non-isolated async code) would hop between NIO's thread and the global pool; with
/// it a request that only reads (the simulator reads its snapshot synchronously) never leaves the loop's thread.
/// A write still awaits GRDB's writer queue, and comes back to the loop.
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
