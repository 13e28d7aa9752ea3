import Foundation

/// Standard Base64 (RFC 4648 §4) for the API's binary fields, refusing anything else with a
/// ValidationException that names the field.
public enum XKSBase64 {
    public static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
    }

    /// Decodes `text`; nil stays nil. `maxCharacters` bounds the encoded length.
    public static func decode(_ text: String?, field: String, maxCharacters: Int) throws(XKSError) -> [UInt8]? {
        guard let text else { return nil }
        guard text.utf8.count <= maxCharacters else {
            throw XKSError(.validation, "\(field) is \(text.utf8.count) Base64 characters; at most \(maxCharacters) are accepted.")
        }
        guard let data = Data(base64Encoded: text) else {
            throw XKSError(.validation, "\(field) is not standard Base64 (RFC 4648 section 4).")
        }
        return Array(data)
    }

    /// Decodes a field that must be present.
    public static func require(_ text: String?, field: String, maxCharacters: Int) throws(XKSError) -> [UInt8] {
        guard let bytes = try decode(text, field: field, maxCharacters: maxCharacters) else {
            throw XKSError(.validation, "\(field) is required.")
        }
        return bytes
    }
}
