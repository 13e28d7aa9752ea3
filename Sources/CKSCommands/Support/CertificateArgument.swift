import Foundation

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
