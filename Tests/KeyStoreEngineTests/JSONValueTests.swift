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
}
