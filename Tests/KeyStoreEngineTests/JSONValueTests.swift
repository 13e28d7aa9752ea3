import Foundation
import KeyStoreEngine
import Testing

/// JSON text as cks writes it (the server's answers, `--output json`): escapes as Python's `json.dumps`
/// (with `ensure_ascii=False`) writes them, and parsed back to the same value.
@Suite("JSON strings")
struct JSONValueTests {
    /// `json.dumps({"k": s}, ensure_ascii=False, separators=(",", ":"))` for the string below.
    let tricky = "a\"b\\c\nd\re\tf\u{08}g\u{0C}h\u{01}i\u{1F}j é ✓ \u{7F} end"
    let python = #"{"k":"a\"b\\c\nd\re\tf\bg\fh\u0001i\u001fj é ✓ \#u{7F} end"}"#

    @Test func escapesAsPythonDoes() throws {
        #expect(JSONValue.object([("k", .string(tricky))]).compact == python)
    }

    @Test func cleanAndPEMStringsRoundTrip() throws {
        let pem = "-----BEGIN CERTIFICATE-----\n" + String(repeating: "MIIB", count: 40) + "\n-----END CERTIFICATE-----\n"
        for text in ["", "plain", pem, tricky, "\"", "\\", "\n"] {
            let written = JSONValue.object([("k", .string(text))]).compact
            #expect(try JSONValue.parse(written)["k"]?.stringValue == text)
        }
    }

    /// The server writes `compactBytes`; it must be exactly the UTF-8 of `compact`.
    @Test func compactBytesAreTheCompactText() {
        let value = JSONValue.object([
            ("KeyMetadata", .object([
                ("KeyId", .string("1234abcd-12ab-34cd-56ef-1234567890ab")), ("Enabled", .bool(true)),
                ("CreationDate", .number(1_764_888_000.125)), ("Count", .integer(-42)), ("Gone", .null),
                ("Empty", .object([])), ("None", .array([])),
                ("Tricky", .string(tricky)), ("Nested", .array([.string(""), .integer(0), .array([.bool(false)])])),
            ])),
            (tricky, .string("é ✓")),
        ])
        #expect(value.compactBytes == Array(value.compact.utf8))
        #expect(JSONValue.object([("k", .string(tricky))]).compactBytes == Array(python.utf8))
    }

    /// Strings without escapes take a shorter path; what it reads and the errors it reports are the same.
    @Test func stringsWithAndWithoutEscapesParseAlike() throws {
        #expect(try JSONValue.parse(bytes: Array(#"{"a":"plain é","b":"esc\"aped\u00e9"}"#.utf8))
            == .object([("a", .string("plain é")), ("b", .string("esc\"apedé"))]))
        let control = parseError([0x22, 0x61, 0x62, 0x63, 0x01, 0x22])
        #expect(control?.offset == 4 && control?.reason == "control character in string")
        let invalid = parseError([0x22, 0x61, 0xFF, 0x22])
        #expect(invalid?.offset == 4 && invalid?.reason == "invalid UTF-8 in string")
        let unterminated = parseError([0x22, 0x61, 0x62, 0x63])
        #expect(unterminated?.offset == 4 && unterminated?.reason == "unterminated string")
    }

    private func parseError(_ bytes: [UInt8]) -> JSONParseError? {
        do {
            _ = try JSONValue.parse(bytes: bytes)
            return nil
        } catch {
            return error
        }
    }
}
