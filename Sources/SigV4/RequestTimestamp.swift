import Foundation

/// When a request says it was signed: `X-Amz-Date` if present, else `Date`.
struct RequestTimestamp {
    var date: Date
    /// `date` as `yyyyMMdd'T'HHmmss'Z'` (the header's own text when it came that way), for the string to sign.
    var text: String
    /// As AWS spells it in messages: `X-Amz-Date` or `Date`.
    var headerName: String

    init(_ request: SigV4Request, authorization: SigV4Authorization) throws(SigV4Error) {
        let amzDate = request.headerValues("X-Amz-Date")
        let (name, values) = amzDate.isEmpty ? ("Date", request.headerValues("Date")) : ("X-Amz-Date", amzDate)
        guard !values.isEmpty else {
            throw .incomplete(
                "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
                authorization: authorization.headerValue
            )
        }
        let text = values.count == 1 ? values[0] : values.joined(separator: ",")
        // A basic-format timestamp parses only if it is exactly what `AmzDate.timestamp` writes for its date.
        if let date = AmzDate.parseTimestamp(text) {
            (self.date, self.text, self.headerName) = (date, text, name)
            return
        }
        guard name == "Date", let date = AmzDate.parseHTTPDate(text) else {
            throw SigV4Error(
                .incompleteSignature,
                "Date must be in ISO-8601 'basic format'. Got '\(text)'. See http://en.wikipedia.org/wiki/ISO_8601"
            )
        }
        self.date = date
        self.text = AmzDate.timestamp(date)
        self.headerName = name
    }
}
