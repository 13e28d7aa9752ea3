/// Where the simulated KMS connects for an external key store, and the name TLS must verify.
public struct XKSProxyAddress: Sendable, Hashable, CustomStringConvertible {
    /// The host of `XksProxyUriEndpoint`: the Host header, the SNI name and the name the certificate must carry.
    public var host: String
    /// The IP address or name actually dialled (from the world's route for `host`).
    public var address: String
    public var port: Int

    public init(host: String, address: String, port: Int) {
        self.host = host
        self.address = address
        self.port = port
    }

    public var description: String { host == address ? "\(host):\(port)" : "\(host) (\(address):\(port))" }
}

/// How the KMS side talks to proxies: which CAs it trusts, the Region it signs for, and its patience.
public struct XKSClientConfiguration: Sendable {
    /// PEM certificates of the CAs a proxy's certificate must chain to (the cks CA, and only it).
    public var trustRootsPEM: [String]
    /// The SigV4 scope's Region (KMS signs with the Region it calls from); the service is `kms-xks-proxy`.
    public var region: String
    /// Per attempt, from dialling (or taking a kept-alive connection) to the end of the answer. KMS waits
    /// 250 ms and retries once after a timeout.
    public var timeout: Duration = .milliseconds(250)

    public init(trustRootsPEM: [String], region: String, timeout: Duration = .milliseconds(250)) {
        self.trustRootsPEM = trustRootsPEM
        self.region = region
        self.timeout = timeout
    }
}
