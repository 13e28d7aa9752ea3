import Foundation
import SigV4

/// Keys and when they stop working (nil: never), with the account they belong to when the source says.
public struct ExpiringCredentials: Sendable, Hashable {
    public var credentials: AWSCredentials
    public var expiration: Date?
    public var accountId: String?

    public init(credentials: AWSCredentials, expiration: Date? = nil, accountId: String? = nil) {
        self.credentials = credentials
        self.expiration = expiration
        self.accountId = accountId
    }
}
