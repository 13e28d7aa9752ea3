import AWSBackend
import Foundation
import KeyStoreEngine
import Testing

@Suite("A store's keys")
struct KeysTests {
    @Test func keysOfOtherStoresAreDescribedOncePerSession() async throws {
        let store = Fixture.store(1, .connected)
        let other = Fixture.store(2, .connected)
        var keys = (1...6).map { Fixture.key($0, store: $0.isMultiple(of: 2) ? store : other) }
        keys.append(Fixture.key(7, store: nil))
        let fake = FakeKMS(stores: [store, other], keys: keys)
        let service = Fixture.service(fake)
        #expect(try await service.keys(inKeyStore: store.id).map(\.description) == ["key 2", "key 4", "key 6"])
        #expect(fake.count("DescribeKey") == 7)
        _ = try await service.keys(inKeyStore: store.id)
        #expect(fake.count("DescribeKey") == 10, "the second look describes only the store's three keys")
        #expect(try await service.keys(inKeyStore: other.id).count == 3)
        #expect(fake.count("DescribeKey") == 13)
    }

    @Test func newAndDeletedKeysBecomeEvents() async throws {
        let store = Fixture.store(1, .connected)
        let fake = FakeKMS(stores: [store], keys: [Fixture.key(1, store: store)])
        let service = Fixture.service(fake)
        _ = try await service.keys(inKeyStore: store.id)
        let created = try await service.createKey(inKeyStore: store.id, description: "new")
        #expect(fake.requests.last?.body["Origin"]?.stringValue == "AWS_CLOUDHSM")
        #expect(created.customKeyStoreId == store.id)
        let kinds = try await service.history(ofKeyStore: store.id).map(\.kind)
        #expect(kinds == [.keyCreated(keyId: created.id)])
    }

    @Test func externalKeysAreCreatedWithTheirXksKeyIdAndReadBack() async throws {
        let store = Fixture.xksStore(1, .connected)
        let fake = FakeKMS(stores: [store])
        let service = Fixture.service(fake)
        let created = try await service.createKey(inKeyStore: store.id, description: "xks", xksKeyId: "external-key-1")
        let body = try #require(fake.requests.last?.body)
        #expect(body["Origin"]?.stringValue == "EXTERNAL_KEY_STORE")
        #expect(body["XksKeyId"]?.stringValue == "external-key-1")
        #expect(body["CustomKeyStoreId"]?.stringValue == store.id)
        #expect(created.xksKeyId == "external-key-1" && created.origin == .externalKeyStore)
        #expect(try await service.describeKey(created.id).xksKeyId == "external-key-1")
        #expect(try await service.keys(inKeyStore: store.id).map(\.xksKeyId) == ["external-key-1"])

        let plain = try await service.createKey(inKeyStore: nil, description: "plain", xksKeyId: nil)
        #expect(fake.requests.last?.body["Origin"] == nil && fake.requests.last?.body["XksKeyId"] == nil)
        #expect(plain.xksKeyId == nil)
        let before = fake.requests.count
        await #expect(throws: KMSError.self) { try await service.createKey(inKeyStore: store.id, description: "", xksKeyId: "not valid") }
        await #expect(throws: KMSError.self) { try await service.createKey(inKeyStore: nil, description: "", xksKeyId: "k1") }
        #expect(fake.requests.count == before, "refused before KMS is called")
    }

    @Test func keyMetadataReadsXksKeyConfiguration() throws {
        let metadata = try JSONValue.parse(Data("""
            {"KeyId":"k1","Arn":"arn:aws:kms:us-east-1:111122223333:key/k1","KeyState":"Enabled","Origin":"EXTERNAL_KEY_STORE",
             "CustomKeyStoreId":"cks-1234567890abcdef0","XksKeyConfiguration":{"Id":"bb8562717f809024"}}
            """.utf8))
        let key = try KMSKey(keyMetadata: metadata)
        #expect(key.xksKeyId == "bb8562717f809024")
        #expect(key.keyMetadataJSON(accountId: "111122223333")["XksKeyConfiguration"]?["Id"]?.stringValue == "bb8562717f809024")
    }
}

@Suite("What the console can use without knowing AWS")
struct RegionalServiceTests {
    @Test func switchesRegionWithTheSameCredentials() async throws {
        let service: any KeyStoreService = Fixture.service(FakeKMS())
        let regional = try #require(service as? any RegionalKeyStoreService)
        #expect(regional.regionChoices.contains("eu-west-1") && !regional.regionChoices.contains("me-central-1"))
        let other = regional.switchingRegion(to: "eu-west-1")
        #expect(other.backend.region == "eu-west-1")
        #expect((other as? AWSKeyStoreService)?.settings.kmsEndpoint.absoluteString == "https://kms.eu-west-1.amazonaws.com")
        #expect(await regional.transitionProgress(ofKeyStore: "cks-1") == nil)
    }

    @Test func offersTheNamedAndTheCurrentRegionsInOrder() {
        let service = AWSKeyStoreService(settings: Fixture.settings(region: "local-test-1"), environment: AWSEnvironment(variables: [:], homeDirectory: "/nonexistent"),
                                         transport: FakeKMS(), namedRegions: ["local-test-1", "me-central-1"])
        let choices = service.regionChoices
        #expect(choices == choices.sorted())
        #expect(choices.contains("local-test-1"), "the current Region, though no list knows it")
        #expect(choices.contains("me-central-1"), "named with --region, though it has no custom key stores")
        #expect(choices.contains("eu-west-1"))
        let other = service.switchingRegion(to: "eu-west-1")
        #expect(other.regionChoices == choices, "the named Regions go along")
    }

    @Test func theStartingRegionStaysOnOfferAfterSwitchingAway() {
        // me-central-1 from AWS_REGION or the profile: in no list (it has no custom key stores), named by no --region.
        let service = AWSKeyStoreService(settings: Fixture.settings(region: "me-central-1"),
                                         environment: AWSEnvironment(variables: [:], homeDirectory: "/nonexistent"), transport: FakeKMS())
        #expect(service.regionChoices.contains("me-central-1"))
        let europe = service.service(forRegion: "eu-west-1")
        #expect(europe.regionChoices.contains("me-central-1"), "the Region the console started in can be picked again")
        #expect(europe.namedRegions == ["me-central-1"])
        let back = europe.service(forRegion: "me-central-1")
        #expect(back.namedRegions == ["me-central-1", "eu-west-1"], "each Region once")
        #expect(back.service(forRegion: "eu-west-1").namedRegions == ["me-central-1", "eu-west-1"])
        let local = AWSKeyStoreService(settings: Fixture.settings(region: "local-test-1"),
                                       environment: AWSEnvironment(variables: [:], homeDirectory: "/nonexistent"), transport: FakeKMS(),
                                       namedRegions: ["local-test-1", "us-west-2"])
        #expect(local.service(forRegion: "us-west-2").service(forRegion: "eu-west-1").regionChoices.contains("local-test-1"))
        #expect(local.service(forRegion: "us-west-2").namedRegions == ["local-test-1", "us-west-2"])
    }
}
