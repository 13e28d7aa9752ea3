import Crypto
import Foundation

/// Checks a request's SigV4 `Authorization` header the way an AWS JSON service does, refusing it with the
/// exception and message AWS would give.
public struct SigV4Verifier: Sendable {
    /// The signing names accepted in the credential scope (`kms`).
    public var services: Set<String>
    /// How far the request's time may be from `now`, either way.
    public var allowedClockSkew: Duration
    /// The credentials for an access key id, nil for an unknown one.
    public var credentials: @Sendable (String) -> AWSCredentials?
    /// The path rules clients sign with (`normalizePath`, `doubleEncodePath`); the other options do not
    /// apply here, the `Authorization` header says which headers were signed.
    public var options: SigV4Signer.Options
    private let signingKeys = SigningKeyCache()

    public init(
        services: Set<String>,
        allowedClockSkew: Duration = .seconds(300),
        options: SigV4Signer.Options = SigV4Signer.Options(),
        credentials: @escaping @Sendable (String) -> AWSCredentials?
    ) {
        self.services = services
        self.allowedClockSkew = allowedClockSkew
        self.options = options
        self.credentials = credentials
    }

    /// Recomputes the signature over the signed headers only and compares it in constant time.
    public func verify(_ request: SigV4Request, now: Date) throws(SigV4Error) -> VerifiedIdentity {
        let authorization = try Self.authorization(of: request)
        let stamp = try RequestTimestamp(request, authorization: authorization)
        try Self.requireSigned(authorization, stamp: stamp)
        try checkScope(authorization, stamp: stamp)
        try checkClock(stamp.date, now: now)

        guard let secrets = credentials(authorization.accessKeyId) else { throw .invalidSecurityToken }
        try Self.checkSessionToken(request, secrets)

        let signer = SigV4Signer(
            credentials: secrets, region: authorization.region, service: authorization.service, options: options
        )
        let scope = SigningKeyCache.Scope(
            secretAccessKey: secrets.secretAccessKey, day: authorization.date, region: authorization.region,
            service: authorization.service
        )
        let cached = signingKeys.key(for: scope)
        let signingKey = cached ?? HMAC<SHA256>(key: SymmetricKey(data: signer.signingKey(day: authorization.date)))
        let expected = Self.signature(of: request, authorization: authorization, stamp: stamp, signer: signer, key: signingKey)
        guard ConstantTime.equals(expected, Array(authorization.signature.utf8)) else {
            throw .signatureMismatch
        }
        if cached == nil { signingKeys.keep(signingKey, for: scope) }
        return VerifiedIdentity(
            accessKeyId: authorization.accessKeyId, region: authorization.region, service: authorization.service
        )
    }

    /// The lower-case hex signature the request should carry: the canonical request and the string to sign are
    /// written as bytes and hashed, never built as strings (the same text `SigV4Signer` would build).
    private static func signature(
        of request: SigV4Request, authorization: SigV4Authorization, stamp: RequestTimestamp, signer: SigV4Signer,
        key: HMAC<SHA256>
    ) -> [UInt8] {
        var canonical: [UInt8] = []
        signer.writeCanonicalRequest(request, signedHeaders: authorization.signedHeaders, into: &canonical)
        let newline = UInt8(ascii: "\n"), slash = UInt8(ascii: "/")
        var toSign: [UInt8] = []
        toSign.reserveCapacity(160 + authorization.region.utf8.count + authorization.service.utf8.count)
        toSign.append(contentsOf: SigV4Authorization.algorithm.utf8)
        toSign.append(newline)
        toSign.append(contentsOf: stamp.text.utf8)
        toSign.append(newline)
        for part in [authorization.date, authorization.region, authorization.service] {
            toSign.append(contentsOf: part.utf8)
            toSign.append(slash)
        }
        toSign.append(contentsOf: SigV4Authorization.terminator.utf8)
        toSign.append(newline)
        Hex.appendLowercase(SHA256.hash(data: canonical), to: &toSign)
        var mac = key
        mac.update(data: toSign)
        var hex: [UInt8] = []
        Hex.appendLowercase(mac.finalize(), to: &hex)
        return hex
    }

    private static func authorization(of request: SigV4Request) throws(SigV4Error) -> SigV4Authorization {
        let values = request.headerValues("Authorization")
        guard let value = values.first else { throw .missingAuthenticationToken }
        guard values.count == 1 else {
            throw SigV4Error(.incompleteSignature, "Request must contain exactly one Authorization header.")
        }
        return try SigV4Authorization(parsing: value)
    }

    private static func requireSigned(_ authorization: SigV4Authorization, stamp: RequestTimestamp) throws(SigV4Error) {
        guard authorization.signedHeaders.contains("host") else {
            throw SigV4Error(.incompleteSignature, "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
        }
        guard authorization.signedHeaders.contains(ASCIICase.lowercased(stamp.headerName)) else {
            throw SigV4Error(.incompleteSignature, "'\(stamp.headerName)' must be a 'SignedHeader' in the AWS Authorization.")
        }
    }

    private func checkScope(_ authorization: SigV4Authorization, stamp: RequestTimestamp) throws(SigV4Error) {
        guard services.contains(authorization.service) else {
            let expected = services.sorted().joined(separator: "' or '")
            throw SigV4Error(.invalidSignature, "Credential should be scoped to correct service: '\(expected)'. ")
        }
        guard !authorization.region.isEmpty else {
            throw SigV4Error(.invalidSignature, "Credential should be scoped to a valid region. ")
        }
        let day = stamp.text.utf8.prefix(8)
        guard authorization.date.utf8.elementsEqual(day) else {
            throw SigV4Error(
                .invalidSignature,
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '\(authorization.date)' != '\(String(Substring(day)))', from '\(stamp.text)'."
            )
        }
    }

    private func checkClock(_ signed: Date, now: Date) throws(SigV4Error) {
        let skew = TimeInterval(allowedClockSkew.components.seconds)
        guard signed < now.addingTimeInterval(-skew) || signed > now.addingTimeInterval(skew) else { return }
        let skewText = skew.truncatingRemainder(dividingBy: 60) == 0 ? "\(Int(skew) / 60) min." : "\(Int(skew)) sec."
        let (signedText, nowText) = (AmzDate.timestamp(signed), AmzDate.timestamp(now))
        if signed < now.addingTimeInterval(-skew) {
            let limit = AmzDate.timestamp(now.addingTimeInterval(-skew))
            throw SigV4Error(
                .invalidSignature,
                "Signature expired: \(signedText) is now earlier than \(limit) (\(nowText) - \(skewText))"
            )
        }
        if signed > now.addingTimeInterval(skew) {
            let limit = AmzDate.timestamp(now.addingTimeInterval(skew))
            throw SigV4Error(
                .invalidSignature,
                "Signature not yet current: \(signedText) is still later than \(limit) (\(nowText) + \(skewText))"
            )
        }
    }

    private static func checkSessionToken(_ request: SigV4Request, _ secrets: AWSCredentials) throws(SigV4Error) {
        let sent = request.headerValues("X-Amz-Security-Token")
        switch (secrets.sessionToken, sent.count) {
        case (nil, 0):
            return
        case (let expected?, 1) where ConstantTime.equals(Array(expected.utf8), Array(sent[0].utf8)):
            return
        default:
            throw .invalidSecurityToken
        }
    }
}
