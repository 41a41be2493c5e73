import CityEvents
import Testing

@Suite("API keys")
struct ApiKeyTests {
    @Test("a generated key parses back, keeps its id, and has the documented shape")
    func generatedKeyRoundTrips() throws {
        let key = ApiKey.generate()
        #expect(key.rawValue.hasPrefix("cdk_"))
        #expect(key.rawValue.utf8.count == 4 + 12 + 1 + 43)
        let parsed = try #require(ApiKey(key.rawValue))
        #expect(parsed.keyId == key.keyId)
        #expect(parsed == key)
    }

    @Test("two generated keys differ")
    func keysAreRandom() {
        let keys = Set((0..<200).map { _ in ApiKey.generate().rawValue })
        #expect(keys.count == 200)
    }

    @Test("malformed keys are refused", arguments: [
        "", "cdk_", "token", "cdk_ABCDEFGHIJKL_" + String(repeating: "a", count: 43),
        "cdk_abcdefghijkl-" + String(repeating: "a", count: 43),
        "cdk_abcdefghijkl_" + String(repeating: "a", count: 42),
        "cdk_abcdefghijkl_" + String(repeating: "a", count: 42) + "=",
        "xdk_abcdefghijkl_" + String(repeating: "a", count: 43),
    ])
    func malformedKeysAreRefused(text: String) {
        #expect(ApiKey(text) == nil)
    }

    @Test("the stored hash is sha256 hex of the whole key and matches only that key")
    func hashMatchesOnlyItsKey() throws {
        let key = try #require(ApiKey("cdk_abcdefghijkl_" + String(repeating: "A", count: 43)))
        // SHA-256 of the key text, computed independently with `printf %s KEY | sha256sum`.
        #expect(key.hash == "sha256:405201936eb45ddc255191a95ccbb568771db09d6fac1d9492bb06467f4b066d")
        #expect(key.hash.count == 7 + 64)
        #expect(key.matches(storedHash: key.hash))
        let other = ApiKey.generate()
        #expect(!other.matches(storedHash: key.hash))
        #expect(!key.matches(storedHash: String(key.hash.dropLast())))
    }

    @Test("the description never contains the secret")
    func descriptionIsRedacted() {
        let key = ApiKey.generate()
        let secret = String(key.rawValue.suffix(43))
        #expect(!"\(key)".contains(secret))
        #expect("\(key)" == "cdk_\(key.keyId)_…")
    }

    @Test("constant-time comparison agrees with equality")
    func constantTimeEquals() {
        #expect(ApiKey.constantTimeEquals("sha256:ab", "sha256:ab"))
        #expect(!ApiKey.constantTimeEquals("sha256:ab", "sha256:ac"))
        #expect(!ApiKey.constantTimeEquals("sha256:ab", "sha256:abc"))
    }
}
