@testable import AWSBackend
import Testing

@Suite("Config files as botocore reads them")
struct ConfigFileTests {
    @Test func sectionsValuesCommentsAndCase() throws {
        let file = try ConfigFile.parse("""
            # a comment
            [default]
            Region = us-east-1
            output: json
            ; another comment
            [profile dev]
            region=eu-west-1
              # indented comment
            credential_process = /bin/echo "a b" --x=y

            """)
        #expect(file.sections["default"]?.values == ["region": "us-east-1", "output": "json"])
        #expect(file.sections["profile dev"]?.values["credential_process"] == "/bin/echo \"a b\" --x=y")
        #expect(file.sections["profile dev"]?.values["region"] == "eu-west-1")
    }

    @Test func nestedBlocks() throws {
        let file = try ConfigFile.parse("""
            [services local]
            kms =
              endpoint_url = http://localhost:4566
              other = 1
            s3 =
              endpoint_url = http://s3
            [default]
            services = local
            """)
        #expect(file.sections["services local"]?.nested["kms"] == ["endpoint_url": "http://localhost:4566", "other": "1"])
        #expect(file.sections["services local"]?.nested["s3"] == ["endpoint_url": "http://s3"])
        #expect(file.sections["default"]?.values["services"] == "local")
    }

    @Test func windowsLineEndingsAndEmptyValues() throws {
        let file = try ConfigFile.parse("[default]\r\naws_session_token =\r\nregion = us-west-2\r\n")
        #expect(file.sections["default"]?.values["aws_session_token"] == "")
        #expect(file.sections["default"]?.values["region"] == "us-west-2")
    }

    @Test func errorsNameTheLine() {
        #expect(throws: ConfigFile.ParseError.self) { try ConfigFile.parse("region = us-east-1\n") }
        do {
            _ = try ConfigFile.parse("[default]\nregion us-east-1\n")
            Issue.record("parsed a line without a delimiter")
        } catch {
            #expect(error.line == 2)
        }
    }

    @Test(arguments: [
        ("profile dev", ["profile", "dev"]),
        ("profile   'my prof'", ["profile", "my prof"]),
        ("profile \"a b\"", ["profile", "a b"]),
        ("/usr/bin/tool --a 'x y' \"q\\\"z\" back\\ slash", ["/usr/bin/tool", "--a", "x y", "q\"z", "back slash"]),
    ])
    func shellWords(text: String, words: [String]) {
        #expect(ShellWords.split(text) == words)
    }

    @Test func unclosedQuote() {
        #expect(ShellWords.split("a 'b") == nil)
    }
}
