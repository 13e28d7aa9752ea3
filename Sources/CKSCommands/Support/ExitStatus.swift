/// Exit statuses of cks: 0 success, 1 an error from KMS, 2 bad usage or an unusable world, 3 a store ended FAILED.
enum ExitStatus {
    static let kmsError: Int32 = 1
    static let usage: Int32 = 2
    static let storeFailed: Int32 = 3
}
