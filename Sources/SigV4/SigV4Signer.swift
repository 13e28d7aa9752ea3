import Foundation

/// Signs requests with AWS Signature Version 4 (header signing, `AWS4-HMAC-SHA256`).
public struct SigV4Signer: Sendable {
    /// Choices a few services or tests need; the defaults suit every JSON service (KMS, CloudHSMv2).
    public struct Options: Sendable, Hashable {
        /// Remove `.`, `..` and empty path segments; false for S3.
        public var normalizePath: Bool
        /// Encode the path as sent once more (`%20` → `%2520`); false for S3.
        public var doubleEncodePath: Bool
        /// Add and sign `X-Amz-Content-Sha256` (S3 needs it; KMS does not).
        public var addContentSHA256: Bool
        /// False adds `X-Amz-Security-Token` without signing it, as a few services expect.
        public var signSessionToken: Bool

        public init(
            normalizePath: Bool = true, doubleEncodePath: Bool = true,
            addContentSHA256: Bool = false, signSessionToken: Bool = true
        ) {
            self.normalizePath = normalizePath
            self.doubleEncodePath = doubleEncodePath
            self.addContentSHA256 = addContentSHA256
            self.signSessionToken = signSessionToken
        }
    }

    public var credentials: AWSCredentials
    public var region: String
    /// The signing name, which may differ from the endpoint's (`cloudhsm` for CloudHSMv2).
    public var service: String
    public var options: Options

    public init(credentials: AWSCredentials, region: String, service: String, options: Options = Options()) {
        self.credentials = credentials
        self.region = region
        self.service = service
        self.options = options
    }

    /// The request with `X-Amz-Date`, `X-Amz-Security-Token` (temporary credentials), `X-Amz-Content-Sha256`
    /// (if asked for) and `Authorization` set. Every header present is signed except the ones proxies may
    /// change (`User-Agent`, `Expect`, hop-by-hop), so the request must already carry its `Host`.
    public func sign(_ request: SigV4Request, date: Date) -> SigV4Request {
        var signed = request
        signed.removeHeaders("Authorization")
        if let token = credentials.sessionToken {
            signed.setHeader("X-Amz-Security-Token", token)
        }
        signed.setHeader("X-Amz-Date", AmzDate.timestamp(date))
        if options.addContentSHA256 {
            signed.setHeader("X-Amz-Content-Sha256", Digest.sha256Hex(request.body))
        }
        var names = CanonicalHeaders.signableNames(signed.headers)
        if !options.signSessionToken {
            names.removeAll { $0 == "x-amz-security-token" }
        }
        let canonical = canonicalRequest(signed, signedHeaders: names)
        let authorization = SigV4Authorization(
            accessKeyId: credentials.accessKeyId, date: AmzDate.day(date), region: region, service: service,
            signedHeaders: names,
            signature: signature(stringToSign: stringToSign(canonicalRequest: canonical, date: date), date: date)
        )
        signed.headers.append((name: "Authorization", value: authorization.headerValue))
        return signed
    }

    /// Method, canonical URI, canonical query, the `signedHeaders` lines, their names, and the body's SHA-256.
    public func canonicalRequest(_ request: SigV4Request, signedHeaders: [String]) -> String {
        let rules = CanonicalPathRules(normalize: options.normalizePath, doubleEncode: options.doubleEncodePath)
        return CanonicalRequest.make(request, signedHeaders: signedHeaders, pathRules: rules)
    }

    /// The canonical request's bytes, appended to `out`.
    func writeCanonicalRequest(_ request: SigV4Request, signedHeaders: [String], into out: inout [UInt8]) {
        let rules = CanonicalPathRules(normalize: options.normalizePath, doubleEncode: options.doubleEncodePath)
        CanonicalRequest.write(request, signedHeaders: signedHeaders, pathRules: rules, into: &out)
    }

    public func stringToSign(canonicalRequest: String, date: Date) -> String {
        [
            SigV4Authorization.algorithm,
            AmzDate.timestamp(date),
            credentialScope(date: date),
            Digest.sha256Hex(canonicalRequest.utf8),
        ].joined(separator: "\n")
    }

    /// HMAC chain `"AWS4" + secret` → day → region → service → `aws4_request`.
    public func signingKey(date: Date) -> [UInt8] {
        signingKey(day: AmzDate.day(date))
    }

    /// The same chain for a credential scope's day, `yyyyMMdd`.
    func signingKey(day: String) -> [UInt8] {
        [day, region, service, SigV4Authorization.terminator]
            .reduce(Array("AWS4\(credentials.secretAccessKey)".utf8)) { key, part in Digest.hmac(key: key, part) }
    }

    /// Lower-case hex HMAC-SHA256 of the string to sign.
    public func signature(stringToSign: String, date: Date) -> String {
        signature(stringToSign: stringToSign, signingKey: signingKey(date: date))
    }

    func signature(stringToSign: String, signingKey: [UInt8]) -> String {
        Hex.lowercase(Digest.hmac(key: signingKey, stringToSign))
    }

    public func credentialScope(date: Date) -> String {
        [AmzDate.day(date), region, service, SigV4Authorization.terminator].joined(separator: "/")
    }
}
