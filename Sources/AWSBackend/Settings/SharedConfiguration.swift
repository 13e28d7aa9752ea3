import Foundation

/// The profiles of `~/.aws/config` and `~/.aws/credentials` merged as botocore merges them (a credentials
/// file value wins), with what was found where, for error messages.
public struct SharedConfiguration: Sendable, Hashable {
    /// What a file held when cks read it.
    public enum FileStatus: Sendable, Hashable {
        case missing
        case read(profiles: [String])
    }

    public var configPath: String
    public var credentialsPath: String
    public var configStatus: FileStatus
    public var credentialsStatus: FileStatus
    /// Profiles of the config file (`[default]`, `[profile x]`), by name.
    public var configProfiles: [String: ConfigFile.Section]
    /// Profiles of the credentials file (`[x]`), by name.
    public var credentialsProfiles: [String: ConfigFile.Section]
    /// `[services name]` sections of the config file, by name.
    public var services: [String: ConfigFile.Section]
    /// `[sso-session name]` sections of the config file, by name.
    public var ssoSessions: [String: ConfigFile.Section] = [:]

    /// Reads both files; a missing file is no error, an unreadable or malformed one is.
    public static func load(_ environment: AWSEnvironment) throws(AWSConfigurationError) -> SharedConfiguration {
        let configPath = environment.configFilePath
        let credentialsPath = environment.credentialsFilePath
        let config = try read(configPath)
        let credentials = try read(credentialsPath)

        var configProfiles: [String: ConfigFile.Section] = [:]
        var services: [String: ConfigFile.Section] = [:]
        var ssoSessions: [String: ConfigFile.Section] = [:]
        for (header, section) in config?.sections ?? [:] {
            if header == "default" {
                configProfiles["default"] = section
            } else if header.hasPrefix("profile") {
                let words = ShellWords.split(header) ?? []
                if words.count == 2, words[0] == "profile" { configProfiles[words[1]] = section }
            } else if header.hasPrefix("services") {
                let words = ShellWords.split(header) ?? []
                if words.count == 2, words[0] == "services" { services[words[1]] = section }
            } else if header.hasPrefix("sso-session") {
                let words = ShellWords.split(header) ?? []
                if words.count == 2, words[0] == "sso-session" { ssoSessions[words[1]] = section }
            }
        }
        let credentialsProfiles = credentials?.sections ?? [:]
        return SharedConfiguration(
            configPath: configPath, credentialsPath: credentialsPath,
            configStatus: config == nil ? .missing : .read(profiles: configProfiles.keys.sorted()),
            credentialsStatus: credentials == nil ? .missing : .read(profiles: credentialsProfiles.keys.sorted()),
            configProfiles: configProfiles, credentialsProfiles: credentialsProfiles, services: services,
            ssoSessions: ssoSessions
        )
    }

    private static func read(_ path: String) throws(AWSConfigurationError) -> ConfigFile? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AWSConfigurationError(.unreadableFile, "cks cannot read \(path). Check its permissions.")
        }
        do {
            return try ConfigFile.parse(String(decoding: data, as: UTF8.self))
        } catch {
            throw AWSConfigurationError(.unreadableFile, "cks cannot parse \(path): line \(error.line) is \(error.reason).")
        }
    }

    /// True when either file has the profile.
    public func hasProfile(_ name: String) -> Bool {
        configProfiles[name] != nil || credentialsProfiles[name] != nil
    }

    /// A setting of a profile: the credentials file's value, else the config file's (botocore's merged view).
    public func value(_ key: String, profile: String) -> String? {
        let value = credentialsProfiles[profile]?.values[key] ?? configProfiles[profile]?.values[key]
        return value.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// True when the profile has the key at all, even empty (botocore's `key in profile`).
    func has(_ key: String, profile: String) -> Bool {
        credentialsProfiles[profile]?.values[key] != nil || configProfiles[profile]?.values[key] != nil
    }

    /// A setting of a service in the profile's `services` section (`[services x]` → `kms =` → `endpoint_url`).
    public func serviceValue(_ key: String, service: String, profile: String) -> String? {
        guard let name = value("services", profile: profile), let block = services[name]?.nested[service],
              let value = block[key], !value.isEmpty else { return nil }
        return value
    }

    /// How a file was found, for "where cks looked" messages.
    func describe(_ status: FileStatus, path: String) -> String {
        switch status {
        case .missing: "\(path) (no such file)"
        case let .read(profiles) where profiles.isEmpty: "\(path) (no profiles)"
        case let .read(profiles): "\(path) (profiles: \(profiles.joined(separator: ", ")))"
        }
    }
}
