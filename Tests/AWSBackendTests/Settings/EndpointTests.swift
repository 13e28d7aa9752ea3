import AWSBackend
import Foundation
import Testing

@Suite("Endpoints and other settings")
struct EndpointTests {
    static let keys = ["AWS_ACCESS_KEY_ID": "AK", "AWS_SECRET_ACCESS_KEY": "s", "AWS_REGION": "eu-west-1"]

    func resolve(config: String? = nil, _ variables: [String: String] = [:], _ overrides: AWSOverrides = AWSOverrides()) throws -> AWSSettings {
        let home = try TempHome(config: config)
        return try AWSSettings.resolve(overrides, environment: home.environment(Self.keys.merging(variables) { $1 }))
    }

    @Test func defaultsFollowTheRegion() throws {
        let settings = try resolve()
        #expect(settings.kmsEndpoint.absoluteString == "https://kms.eu-west-1.amazonaws.com")
        #expect(settings.cloudHSMEndpoint.absoluteString == "https://cloudhsmv2.eu-west-1.amazonaws.com")
        #expect(settings.customEndpoint == nil)
        #expect(settings.with(region: "us-east-2").kmsEndpoint.absoluteString == "https://kms.us-east-2.amazonaws.com")
        #expect(settings.maxAttempts == 5)
    }

    @Test func aRegionThatCannotNameAHostIsAnErrorNotACrash() throws {
        #expect(throws: Never.self) { try AWSSettings.checkRegion("us-gov-west-1") }
        #expect(throws: Never.self) { try AWSSettings.checkRegion("local-test-1") }
        for region in ["ü-west-١", "eu-west-١", "a b", "x/y", ""] {
            #expect(!AWSSettings.isRegionName(region))
            #expect(throws: AWSConfigurationError(.invalidSetting,
                                                  "\(region) is not a Region name (like us-east-1): only the letters a-z, digits and hyphens.")) {
                try AWSSettings.checkRegion(region)
            }
        }
        let settings = try resolve().with(region: "ü-west-١")
        #expect(settings.kmsEndpoint.absoluteString == "https://kms.invalid-region.invalid", "a reserved name no request reaches")
        #expect(settings.cloudHSMEndpoint.absoluteString == "https://cloudhsmv2.invalid-region.invalid")
        #expect(try resolve().with(region: "x/y").kmsEndpoint.host == "kms.invalid-region.invalid", "no path smuggled into the host")
    }

    @Test func precedence() throws {
        let config = """
            [default]
            endpoint_url = http://profile-global:1
            services = local
            [services local]
            kms =
              endpoint_url = http://profile-kms:2
            """
        #expect(try resolve(config: config).kmsEndpoint.absoluteString == "http://profile-kms:2")
        #expect(try resolve(config: config.replacingOccurrences(of: "kms =", with: "s3 =")).kmsEndpoint.absoluteString
                == "http://profile-global:1")
        #expect(try resolve(config: config, ["AWS_ENDPOINT_URL": "http://env-global:3"]).kmsEndpoint.absoluteString == "http://env-global:3")
        #expect(try resolve(config: config, ["AWS_ENDPOINT_URL": "http://env-global:3", "AWS_ENDPOINT_URL_KMS": "http://env-kms:4"])
            .kmsEndpoint.absoluteString == "http://env-kms:4")
        #expect(try resolve(config: config, ["AWS_ENDPOINT_URL_KMS": "http://env-kms:4"], AWSOverrides(endpointURL: "http://flag:5"))
            .kmsEndpoint.absoluteString == "http://flag:5")
    }

    @Test func cloudHSMFollowsACustomEndpointUnlessItHasItsOwn() throws {
        let custom = try resolve(["AWS_ENDPOINT_URL_KMS": "http://127.0.0.1:4566"])
        #expect(custom.cloudHSMEndpoint.absoluteString == "http://127.0.0.1:4566")
        let own = try resolve(["AWS_ENDPOINT_URL_KMS": "http://127.0.0.1:4566", "AWS_ENDPOINT_URL_CLOUDHSM_V2": "http://127.0.0.1:5000"])
        #expect(own.cloudHSMEndpoint.absoluteString == "http://127.0.0.1:5000")
        let flag = try resolve(["AWS_ENDPOINT_URL_CLOUDHSM_V2": "http://127.0.0.1:5000"], AWSOverrides(endpointURL: "http://127.0.0.1:9"))
        #expect(flag.cloudHSMEndpoint.absoluteString == "http://127.0.0.1:9")
    }

    @Test func ignoreConfiguredEndpoints() throws {
        let settings = try resolve(config: "[default]\nendpoint_url = http://x:1\n",
                                   ["AWS_ENDPOINT_URL": "http://y:2", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"])
        #expect(settings.customEndpoint == nil)
        let flag = try resolve(["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"], AWSOverrides(endpointURL: "http://z:3"))
        #expect(flag.customEndpoint?.absoluteString == "http://z:3")
    }

    @Test func badSettings() throws {
        #expect(throws: AWSConfigurationError.self) { try resolve([:], AWSOverrides(endpointURL: "localhost:4566")) }
        #expect(throws: AWSConfigurationError.self) { try resolve(config: "[default]\nservices = missing\n") }
        #expect(throws: AWSConfigurationError.self) { try resolve(["AWS_MAX_ATTEMPTS": "zero"]) }
        #expect(throws: AWSConfigurationError.self) { try resolve([:], AWSOverrides(region: "us east 1")) }
    }

    @Test func maxAttempts() throws {
        #expect(try resolve(["AWS_MAX_ATTEMPTS": "2"]).maxAttempts == 2)
        #expect(try resolve(config: "[default]\nmax_attempts = 7\n").maxAttempts == 7)
    }

    @Test func regionLists() {
        #expect(KeyStoreRegions.parse("us-east-1, eu-west-1,us-east-1") == ["us-east-1", "eu-west-1"])
        #expect(KeyStoreRegions.parse(" , ") == nil)
        let all = KeyStoreRegions.parse("ALL") ?? []
        #expect(all.count == KeyStoreRegions.commercial.count - 4)
        for excluded in ["ap-south-2", "eu-south-2", "eu-central-2", "me-central-1"] { #expect(!all.contains(excluded)) }
        #expect(all.contains("us-east-1") && all.contains("eu-west-1"))
    }
}
