import Foundation
import KeyStoreEngine

extension AWSKeyStoreService {
    /// Every event after `sequence`, as polls find them. Polling runs while at least one stream is followed.
    public nonisolated func events(after sequence: Int64) -> AsyncStream<KeyStoreEvent> {
        AsyncStream { continuation in
            let id = UUID()
            let subscribing = Task { await self.subscribe(id, after: sequence, continuation) }
            continuation.onTermination = { _ in
                Task {
                    await subscribing.value
                    await self.unsubscribe(id)
                }
            }
        }
    }

    public func latestEventSequence() async throws(KMSError) -> Int64 {
        if !baselineEstablished {
            await pollOnce()
            if !baselineEstablished, let lastPollError { throw lastPollError }
        }
        return log.latestSequence
    }

    public func history(ofKeyStore id: String) async throws(KMSError) -> [KeyStoreEvent] {
        log.history(ofKeyStore: id)
    }

    private func subscribe(_ id: UUID, after sequence: Int64, _ continuation: AsyncStream<KeyStoreEvent>.Continuation) {
        log.subscribe(id, after: sequence, continuation)
        guard pollLoop == nil else { return }
        pollLoop = Task { await self.runPollLoop() }
    }

    private func unsubscribe(_ id: UUID) {
        log.unsubscribe(id)
        guard log.subscriberCount == 0 else { return }
        pollLoop?.cancel()
        pollLoop = nil
        pollSleep?.cancel()
        pollSleep = nil
    }

    /// Poll, wait the cadence's interval (cut short by `requestPoll`), again, until cancelled.
    private func runPollLoop() async {
        while !Task.isCancelled {
            await pollOnce()
            if Task.isCancelled { return }
            if pollRequested { continue }
            let interval = nextPollInterval()
            let clock = self.clock
            let sleep = Task { _ = try? await clock.sleep(for: interval) }
            pollSleep = sleep
            await sleep.value
            if pollSleep == sleep { pollSleep = nil }
        }
    }

    /// Asks for a poll as soon as possible (after an accepted connect or disconnect).
    func requestPoll() {
        pollRequested = true
        pollSleep?.cancel()
    }

    /// The wait before the next poll: `busy` while a store is transient or an accepted request is not yet
    /// visible, else `idle`.
    func nextPollInterval() -> Duration {
        let now = clock.now()
        let window = cadence.acceptedWindow.seconds
        pending = pending.filter { now.timeIntervalSince($0.value.acceptedAt) < window }
        let busy = !pending.isEmpty || known.values.contains { $0.store.connectionState.isTransient }
        return busy ? cadence.busy : cadence.idle
    }

    /// One DescribeCustomKeyStores round (every page). A call while one runs waits for that one instead of
    /// starting another: never two polls at once.
    func pollOnce() async {
        if isPolling {
            await withCheckedContinuation { pollWaiters.append($0) }
            return
        }
        isPolling = true
        pollRequested = false
        pollCount += 1
        let stamp = nextStamp()
        do {
            let stores = try await fetchAllStores()
            lastPollError = nil
            await noteCredentials(failure: nil)
            let changed = observe(stores, stamp: stamp, complete: true)
            await refreshKeys(ofKeyStores: changed)
        } catch {
            lastPollError = error
            await noteCredentials(failure: error)
        }
        isPolling = false
        let waiters = pollWaiters
        pollWaiters = []
        for waiter in waiters { waiter.resume() }
    }

    private func fetchAllStores() async throws(KMSError) -> [CustomKeyStore] {
        var stores: [CustomKeyStore] = []
        var marker: String?
        repeat {
            let page = try await kms.describeCustomKeyStores(DescribeKeyStoresRequest(marker: marker))
            stores += page.keyStores
            marker = page.nextMarker
        } while marker != nil
        return stores
    }
}
