import Foundation
import KeyStoreEngine

/// The members of a JSON 1.1 request body, read with the types and constraints of the API model.
///
/// A member of the wrong JSON type is a `SerializationException` at once, as AWS's deserializer refuses it;
/// constraint violations (missing required members, lengths, ranges, enums) are collected and reported
/// together as one `ValidationException` ("2 validation errors detected: …; …") by `validate()`.
/// Unknown members are ignored, as AWS ignores them; `null` counts as absent.
struct RequestFields {
    private let members: [String: JSONValue]
    private(set) var problems: [String] = []

    init(members: [String: JSONValue]) {
        self.members = members
    }

    /// Parses a body; an empty body is an empty object.
    init(body: [UInt8]) throws(ServiceError) {
        guard body.contains(where: { ![0x20, 0x0A, 0x0D, 0x09].contains($0) }) else {
            self.init(members: [:])
            return
        }
        let value: JSONValue
        do {
            value = try JSONValue.parse(bytes: body)
        } catch {
            throw ServiceError(type: KMSError.Code.serialization.rawValue,
                               message: "The request body is not valid JSON: \(error.description).")
        }
        guard case let .object(fields) = value else {
            throw ServiceError(type: KMSError.Code.serialization.rawValue, message: Self.unexpected(value, expected: "a structure"))
        }
        self.init(members: Dictionary(fields, uniquingKeysWith: { _, last in last }))
    }

    /// Whether the member is present (and not null).
    func has(_ name: String) -> Bool {
        value(name) != nil
    }

    private func value(_ name: String) -> JSONValue? {
        guard let value = members[name], value != .null else { return nil }
        return value
    }

    // MARK: Typed members

    mutating func string(
        _ name: String, required: Bool = false, length: ClosedRange<Int>? = nil, sensitive: Bool = false,
        pattern: (test: @Sendable (String) -> Bool, text: String)? = nil
    ) throws(ServiceError) -> String? {
        guard let value = value(name) else { return missing(name, required: required) }
        guard case let .string(text) = value else { throw Self.typeError(value, expected: "a String") }
        let shown = sensitive ? nil : text
        if let length { check(length: text.utf16.count, in: length, name: name, shown: shown) }
        if let pattern, !pattern.test(text) {
            problems.append("\(Self.describe(shown, sensitive: sensitive)) at '\(Self.path(name))' failed to satisfy constraint: Member must satisfy regular expression pattern: \(pattern.text)")
        }
        return text
    }

    mutating func integer(_ name: String, required: Bool = false, range: ClosedRange<Int>? = nil) throws(ServiceError) -> Int? {
        guard let value = value(name) else { return missing(name, required: required) }
        let number: Int
        switch value {
        case let .integer(n): number = n
        case let .number(n) where n == n.rounded(.towardZero) && abs(n) < 9.2e18: number = Int(n)
        default: throw Self.typeError(value, expected: "an Integer")
        }
        guard number >= Int(Int32.min), number <= Int(Int32.max) else {
            throw ServiceError(type: KMSError.Code.serialization.rawValue,
                               message: "NUMBER_VALUE \(number) at '\(Self.path(name))' is out of range for an Integer.")
        }
        if let range, !range.contains(number) {
            let bound = number < range.lowerBound ? "greater than or equal to \(range.lowerBound)" : "less than or equal to \(range.upperBound)"
            problems.append("Value '\(number)' at '\(Self.path(name))' failed to satisfy constraint: Member must have value \(bound)")
        }
        return number
    }

    mutating func boolean(_ name: String) throws(ServiceError) -> Bool? {
        guard let value = value(name) else { return nil }
        guard case let .bool(flag) = value else { throw Self.typeError(value, expected: "a Boolean") }
        return flag
    }

    /// A blob member: base64 text in JSON, checked against `length` in bytes once decoded.
    mutating func blob(_ name: String, required: Bool = false, length: ClosedRange<Int>) throws(ServiceError) -> Data? {
        guard let value = value(name) else { return missing(name, required: required) }
        guard case let .string(text) = value else { throw Self.typeError(value, expected: "a Blob (base64 text)") }
        guard let data = Data(base64Encoded: text) else {
            throw ServiceError(type: KMSError.Code.serialization.rawValue,
                               message: "The value of '\(Self.path(name))' is not valid base64. Blobs are sent as base64 text in JSON.")
        }
        check(length: data.count, in: length, name: name, shown: nil)
        return data
    }

    /// A member whose value must be one of `allowed`.
    mutating func enumeration(_ name: String, allowed: [String], required: Bool = false) throws(ServiceError) -> String? {
        guard let text = try string(name, required: required) else { return nil }
        if !allowed.contains(text) {
            problems.append("\(Self.describe(text, sensitive: false)) at '\(Self.path(name))' failed to satisfy constraint: Member must satisfy enum value set: [\(allowed.joined(separator: ", "))]")
        }
        return text
    }

    /// A map of strings to strings (EncryptionContext).
    mutating func stringMap(_ name: String) throws(ServiceError) -> [String: String]? {
        guard let value = value(name) else { return nil }
        guard case let .object(entries) = value else { throw Self.typeError(value, expected: "a Map") }
        var map: [String: String] = [:]
        for (key, entry) in entries {
            guard case let .string(text) = entry else { throw Self.typeError(entry, expected: "a String") }
            map[key] = text
        }
        return map
    }

    /// A map of strings to lists of strings (CloudHSMv2 `Filters`).
    mutating func stringListMap(_ name: String, maxCount: Int) throws(ServiceError) -> [String: [String]]? {
        guard let value = value(name) else { return nil }
        guard case let .object(entries) = value else { throw Self.typeError(value, expected: "a Map") }
        var map: [String: [String]] = [:]
        for (key, entry) in entries {
            guard case let .array(items) = entry else { throw Self.typeError(entry, expected: "a List") }
            var strings: [String] = []
            for item in items {
                guard case let .string(text) = item else { throw Self.typeError(item, expected: "a String") }
                strings.append(text)
            }
            map[key] = strings
        }
        if map.count > maxCount {
            problems.append("Value at '\(Self.path(name))' failed to satisfy constraint: Member must have length less than or equal to \(maxCount)")
        }
        return map
    }

    /// A list of strings (GrantTokens), checked for its number of items.
    mutating func stringList(_ name: String, maxCount: Int) throws(ServiceError) -> [String]? {
        guard let value = value(name) else { return nil }
        guard case let .array(items) = value else { throw Self.typeError(value, expected: "a List") }
        var strings: [String] = []
        for item in items {
            guard case let .string(text) = item else { throw Self.typeError(item, expected: "a String") }
            strings.append(text)
        }
        if strings.count > maxCount {
            problems.append("Value at '\(Self.path(name))' failed to satisfy constraint: Member must have length less than or equal to \(maxCount)")
        }
        return strings
    }

    /// A list of structures (Tags): only its shape is checked.
    mutating func structureList(_ name: String) throws(ServiceError) -> [JSONValue]? {
        guard let value = value(name) else { return nil }
        guard case let .array(items) = value else { throw Self.typeError(value, expected: "a List") }
        for item in items {
            guard case .object = item else { throw Self.typeError(item, expected: "a Structure") }
        }
        return items
    }

    /// A nested structure: only its shape is checked.
    mutating func structure(_ name: String) throws(ServiceError) -> JSONValue? {
        guard let value = value(name) else { return nil }
        guard case .object = value else { throw Self.typeError(value, expected: "a Structure") }
        return value
    }

    // MARK: Constraints

    /// Adds a problem of the caller's own (a rule between members).
    mutating func addProblem(_ text: String) {
        problems.append(text)
    }

    /// Throws the collected constraint violations as one ValidationException.
    func validate() throws(ServiceError) {
        guard !problems.isEmpty else { return }
        let count = problems.count == 1 ? "1 validation error detected" : "\(problems.count) validation errors detected"
        throw ServiceError(type: KMSError.Code.validation.rawValue, message: "\(count): \(problems.joined(separator: "; "))")
    }

    private mutating func missing<T>(_ name: String, required: Bool) -> T? {
        if required {
            problems.append("Value null at '\(Self.path(name))' failed to satisfy constraint: Member must not be null")
        }
        return nil
    }

    private mutating func check(length: Int, in range: ClosedRange<Int>, name: String, shown: String?) {
        guard !range.contains(length) else { return }
        let bound = length < range.lowerBound ? "greater than or equal to \(range.lowerBound)" : "less than or equal to \(range.upperBound)"
        problems.append("\(Self.describe(shown, sensitive: shown == nil)) at '\(Self.path(name))' failed to satisfy constraint: Member must have length \(bound)")
    }

    // MARK: Wording

    /// The member's name as AWS writes it in messages: `KeyId` → `keyId`.
    static func path(_ name: String) -> String {
        name.prefix(1).lowercased() + name.dropFirst()
    }

    private static func describe(_ value: String?, sensitive: Bool) -> String {
        guard let value, !sensitive else { return "Value" }
        let shown = value.count > 256 ? String(value.prefix(256)) + "…" : value
        return "Value '\(shown)'"
    }

    private static func typeError(_ value: JSONValue, expected: String) -> ServiceError {
        ServiceError(type: KMSError.Code.serialization.rawValue, message: unexpected(value, expected: expected))
    }

    private static func unexpected(_ value: JSONValue, expected: String) -> String {
        switch value {
        case .object: "Start of structure or map found where not expected (expected \(expected))."
        case .array: "Start of list found where not expected (expected \(expected))."
        case .string: "STRING_VALUE can not be converted to \(expected)."
        case .integer, .number: "NUMBER_VALUE can not be converted to \(expected)."
        case let .bool(flag): "\(flag ? "TRUE" : "FALSE")_VALUE can not be converted to \(expected)."
        case .null: "null can not be converted to \(expected)."
        }
    }
}
