import CityEvents
import Testing

@Suite("SHA-256 and observation ids")
struct IdentityTests {
    @Test("SHA-256 test vectors (FIPS 180-4 examples)", arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func vectors(input: String, digest: String) {
        #expect(SHA256.hexDigest(Array(input.utf8)) == digest)
    }

    @Test("SHA-256 of a million 'a'")
    func million() {
        #expect(SHA256.hexDigest([UInt8](repeating: 0x61, count: 1_000_000)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("observation id is deterministic, offset-independent and UUIDv8-shaped")
    func observationID() throws {
        let local = try #require(Timestamp(rfc3339: "2025-03-01T07:00:00.5+07:00"))
        let utc = try #require(Timestamp(rfc3339: "2025-03-01T00:00:00.500Z"))
        let a = ObservationID.make(datasetId: "d", sourceId: "s", observedAt: local)
        #expect(a == ObservationID.make(datasetId: "d", sourceId: "s", observedAt: utc))
        #expect(a != ObservationID.make(datasetId: "d", sourceId: "s2", observedAt: utc))
        #expect(a != ObservationID.make(datasetId: "ds", sourceId: "", observedAt: utc))
        #expect(ObservationID.canonicalInstant(local) == "2025-03-01T00:00:00.500000000Z")
        let parts = a.split(separator: "-")
        #expect(parts.map(\.count) == [8, 4, 4, 4, 12])
        #expect(parts[2].first == "8")
        #expect("89ab".contains(parts[3].first ?? "x"))
        #expect(Samples.observation.observationId == ObservationID.make(
            datasetId: "hanoi-air-quality", sourceId: "hanoi-city", observedAt: Samples.observation.observedAt))
    }
}
