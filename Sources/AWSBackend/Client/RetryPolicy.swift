import KeyStoreEngine

/// Which failures are retried and how long to wait before each retry: exponential backoff with full jitter
/// (a random wait between zero and `min(maxDelay, baseDelay × 2^(retry-1))`), at most `maxAttempts` attempts.
public struct RetryPolicy: Sendable {
    public var maxAttempts: Int
    public var baseDelay: Duration
    public var maxDelay: Duration
    /// A number in 0...1; random in use, fixed in tests.
    public var jitter: @Sendable () -> Double

    public init(
        maxAttempts: Int = 5, baseDelay: Duration = .milliseconds(200), maxDelay: Duration = .seconds(8),
        jitter: @escaping @Sendable () -> Double = { Double.random(in: 0...1) }
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.jitter = jitter
    }

    /// The wait before retry number `retry` (1 for the first retry).
    public func delay(beforeRetry retry: Int) -> Duration {
        let ceiling = min(maxDelay.seconds, baseDelay.seconds * Double(1 << min(retry - 1, 30)))
        return .milliseconds(Int64((ceiling * min(1, max(0, jitter())) * 1000).rounded()))
    }

    /// Exception names that mean "too many requests, try later" (botocore's throttling names, without
    /// LimitExceededException, which KMS uses for its quota of key stores).
    public static let throttlingCodes: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "RequestLimitExceeded", "RequestThrottled", "SlowDown",
        "BandwidthLimitExceeded", "PriorRequestNotComplete", "RequestTimeout", "RequestTimeoutException",
    ]

    /// True for throttling (by name or HTTP 429) and server faults (HTTP 5xx).
    public static func isRetryable(status: Int, code: KMSError.Code) -> Bool {
        status == 429 || status >= 500 || throttlingCodes.contains(code.rawValue)
    }
}
