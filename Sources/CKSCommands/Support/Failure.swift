import ArgumentParser
import Foundation
import KeyStoreEngine

/// Exit statuses of cks: 0 success, 1 an error from KMS, 2 bad usage or an unusable world, 3 a store ended FAILED.
enum ExitStatus {
    static let kmsError: Int32 = 1
    static let usage: Int32 = 2
    static let storeFailed: Int32 = 3
}

/// Runs a command body, turning KMS and world errors into a clear message and an exit status.
func reportingErrors(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as KMSError {
        printError("\(error.code.rawValue): \(error.message)")
        throw ExitCode(ExitStatus.kmsError)
    } catch let error as CLIError {
        printError(error.message)
        throw ExitCode(error.exitCode)
    }
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data("cks: \(message)\n".utf8))
}

/// Reads a PEM given as a path, `file://path`, or the PEM text itself.
func readCertificate(_ argument: String) throws -> String {
    if argument.contains("-----BEGIN") { return argument }
    let path = argument.hasPrefix("file://") ? String(argument.dropFirst("file://".count)) : argument
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
        throw CLIError(message: "Cannot read the trust anchor certificate \(path). Give the path of customerCA.crt (or file://path).",
                       exitCode: ExitStatus.usage)
    }
    return text
}
