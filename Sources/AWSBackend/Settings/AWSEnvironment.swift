import Foundation

/// What cks reads its AWS settings from: environment variables and a home folder. Tests give their own.
public struct AWSEnvironment: Sendable, Hashable {
    public var variables: [String: String]
    /// The folder `~` stands for (`$HOME`).
    public var homeDirectory: String

    public init(variables: [String: String], homeDirectory: String? = nil) {
        self.variables = variables
        self.homeDirectory = homeDirectory ?? variables["HOME"] ?? NSHomeDirectory()
    }

    /// The process's environment and home.
    public static var current: AWSEnvironment {
        AWSEnvironment(variables: ProcessInfo.processInfo.environment)
    }

    /// A variable's value, or nil when it is unset or empty (the aws CLI ignores empty values).
    public subscript(_ name: String) -> String? {
        guard let value = variables[name], !value.isEmpty else { return nil }
        return value
    }

    /// `~` and `~/…` expanded against the home folder, as botocore's `os.path.expanduser`.
    func expandingTilde(_ path: String) -> String {
        if path == "~" { return homeDirectory }
        if path.hasPrefix("~/") { return homeDirectory + path.dropFirst() }
        return path
    }

    /// `AWS_CONFIG_FILE`, else `~/.aws/config`.
    var configFilePath: String {
        expandingTilde(self["AWS_CONFIG_FILE"] ?? "~/.aws/config")
    }

    /// `AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`.
    var credentialsFilePath: String {
        expandingTilde(self["AWS_SHARED_CREDENTIALS_FILE"] ?? "~/.aws/credentials")
    }
}
