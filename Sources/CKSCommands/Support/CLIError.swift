import ArgumentParser
import Foundation
import KeyStoreEngine

/// A failure to report on standard error with a given exit status.
struct CLIError: Error, CustomStringConvertible {
    var message: String
    var exitCode: Int32
    var description: String { message }
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
