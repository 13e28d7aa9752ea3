import KeyStoreEngine

/// Data the console asked the engine for: still coming, arrived, or refused.
public enum Loadable<Value: Sendable & Equatable>: Sendable, Equatable {
    case loading
    case loaded(Value)
    case failed(KMSError)

    var value: Value? {
        if case let .loaded(value) = self { return value }
        return nil
    }
}
