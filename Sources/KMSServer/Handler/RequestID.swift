/// The `x-amzn-RequestId` of an answer: a random (version 4) UUID in lowercase, drawn from the system's
/// generator without Foundation's `UUID()`, which opens /dev/urandom on every call on Linux.
enum RequestID {
    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        // Two draws of 64 bits: one system call each (a draw per byte made it 4 % of a request's time).
        let (high, low) = (generator.next() as UInt64, generator.next() as UInt64)
        var bytes = (0..<8).map { UInt8(truncatingIfNeeded: high >> ($0 * 8)) } + (0..<8).map { UInt8(truncatingIfNeeded: low >> ($0 * 8)) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(36)
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { text.append(UInt8(ascii: "-")) }
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
