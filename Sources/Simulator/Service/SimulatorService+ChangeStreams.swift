extension SimulatorService {
    /// A stream fed from the world after each of its changes (this process's writes, other processes' through the
    /// file watch): `step` runs at once, then after every change, or at once again while it says there is more;
    /// what it returns is yielded in order. `state` carries what `step` has seen from one run to the next. The
    /// stream ends when its reader stops reading or the service is gone.
    func changeStream<Element: Sendable, State: Sendable>(
        from state: State,
        _ step: @escaping @Sendable (SimulatorService, inout State) async -> (found: [Element], more: Bool)
    ) -> AsyncStream<Element> {
        AsyncStream { continuation in
            let task = Task { [weak self] in
                var state = state
                while !Task.isCancelled, let self {
                    let generation = self.signal.generation
                    let (found, more) = await step(self, &state)
                    for element in found { continuation.yield(element) }
                    if more { continue }
                    await self.signal.wait(after: generation)
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
