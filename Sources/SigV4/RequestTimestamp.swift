import Foundation

/// When a request says it was signed: `X-Amz-Date` if present, else `Date`.
struct RequestTimestamp {
    var date: Date
    /// As AWS spells it in messages: `X-Amz-Date` or `Date`.
    var headerName: String

    init(_ request: SigV4Request, authorization: SigV4Authorization) throws(SigV4Error) {
        let amzDate = request.headerValues("X-Amz-Date")
        let httpDate = request.headerValues("Date")
        let (name, values) = amzDate.isEmpty ? ("Date", httpDate) : ("X-Amz-Date", amzDate)
        guard !values.isEmpty else {
            throw .incomplete(
                "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
                authorization: authorization.headerValue
            )
        }
        let text = values.joined(separator: ",")
        guard let date = AmzDate.parseTimestamp(text) ?? (name == "Date" ? AmzDate.parseHTTPDate(text) : nil) else {
            throw SigV4Error(
                .incompleteSignature,
                "Date must be in ISO-8601 'basic format'. Got '\(text)'. See http://en.wikipedia.org/wiki/ISO_8601"
            )
        }
        self.date = date
        self.headerName = name
    }
}
