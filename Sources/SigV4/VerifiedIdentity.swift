/// Who signed a request that passed verification, and for which region and service.
public struct VerifiedIdentity: Sendable, Hashable {
    public var accessKeyId: String
    public var region: String
    public var service: String

    public init(accessKeyId: String, region: String, service: String) {
        self.accessKeyId = accessKeyId
        self.region = region
        self.service = service
    }
}
