import AWSBackend
import Foundation

/// Prints what DescribeClusters says before a connect on AWS: the cluster's state, active HSMs per zone, and
/// what KMS is likely to object to.
struct PreflightPrinter {
    var style: TextStyle

    func print(_ preflight: ConnectPreflight) {
        let mark = preflight.unavailableReason != nil ? style.dim("?")
            : preflight.problems.isEmpty ? style.green(style.tick) : style.yellow("!")
        Swift.print("\(mark) Preflight: \(preflight.summary)")
        for problem in preflight.problems {
            Swift.print("  \(style.yellow(problem))")
        }
        FileHandle.standardOutput.synchronizeFile()
    }
}
