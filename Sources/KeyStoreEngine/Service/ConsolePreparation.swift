/// A backend that has work to do before the console takes the terminal (the AWS backend asks for an MFA code
/// and learns the account for the header). The console's caller finds it with `as?`.
public protocol ConsolePreparation: KeyStoreService {
    /// Runs once, before the console starts; it may read the terminal, which the console then owns.
    func prepareForConsole() async
}
