import Synchronization

/// The `x-amzn-RequestId` of an answer: a version 4 UUID in lowercase, without Foundation's `UUID()` (which
/// opens /dev/urandom on every call on Linux) and without a system call per request: 128 bits drawn once per
/// process from the system's generator are mixed (SplitMix64) with a counter, so IDs never repeat within a
/// process and do not repeat across processes (two system calls per request were 2 % of its time).
enum RequestID {
    private static let seed: (UInt64, UInt64) = {
        var generator = SystemRandomNumberGenerator()
        return (generator.next(), generator.next())
    }()
    private static let counter = Atomic<UInt64>(0)

    static func make() -> String {
        let count = counter.wrappingAdd(1, ordering: .relaxed).newValue
        let (high, low) = (mix(seed.0 &+ count), mix(seed.1 ^ (count &* 0x9E37_79B9_7F4A_7C15)))
        return String(unsafeUninitializedCapacity: 36) { text in
            let digits: StaticString = "0123456789abcdef"
            var index = 0
            for position in 0..<16 {
                var byte = UInt8(truncatingIfNeeded: (position < 8 ? high : low) >> ((position % 8) * 8))
                if position == 6 { byte = (byte & 0x0F) | 0x40 }
                if position == 8 { byte = (byte & 0x3F) | 0x80 }
                if position == 4 || position == 6 || position == 8 || position == 10 {
                    text[index] = UInt8(ascii: "-")
                    index += 1
                }
                text[index] = digits.utf8Start[Int(byte >> 4)]
                text[index + 1] = digits.utf8Start[Int(byte & 0x0F)]
                index += 2
            }
            return index
        }
    }

    /// SplitMix64's finaliser: every bit of the input moves about half of the output's bits.
    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
