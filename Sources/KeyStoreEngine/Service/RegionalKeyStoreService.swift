/// A service on a real KMS endpoint (the AWS backend), as the console sees it without knowing AWS: the
/// Regions it can switch to (`R`), and since when a store has been CONNECTING or DISCONNECTING, which on AWS
/// is known only from polling (the simulator's events say it outright).
public protocol RegionalKeyStoreService: KeyStoreService {
    /// The Regions to offer when switching.
    var regionChoices: [String] { get }
    /// The same account, credentials and endpoint rules in another Region.
    func switchingRegion(to region: String) -> any RegionalKeyStoreService
    /// How long the store has been CONNECTING or DISCONNECTING, against the documented duration; nil when it
    /// is in neither state as far as this service knows.
    func transitionProgress(ofKeyStore id: String) async -> TransitionProgress?
}
