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

    /// Lengths on either side of the padding boundaries (55/56 bytes: one block or two; 64: a full
    /// block), against Python's hashlib for bytes `i * 7 % 251`.
    @Test("SHA-256 around block boundaries", arguments: [
        (55, "8af594de0e003fdee5c8bb088216c824349b4137070f559574f4a4bddd27b714"),
        (56, "db81bc2bfd43620591df192139062da77d4c376f1888ea3d2190bd07c8d901f9"),
        (63, "bd535b38bf0d0d1a09d370b7e34b2696cea3767801a45d5611a4aaa6954e8527"),
        (64, "292be91abe8c0909fe3d26575af5755eee74d23816dc68c3ba41765136967654"),
        (65, "ba65aedf7884642499a59ae124894611d986cf429e69f569488048af3a99e25a"),
        (119, "d367ab298e74477421127b0b448667c37c006c636f5738f081c39388756e5fad"),
        (120, "be7beb9c82089eb08da8fe6eb30c13b9d56869014e228a8c3eb0fdfe832efab2"),
        (128, "cb5311e1d7aa8e11d6af7081f3ffc3e4efa008c7483a1a791fe170bf37546ba7"),
    ])
    func blockBoundaries(length: Int, digest: String) {
        #expect(SHA256.hexDigest((0..<length).map { UInt8($0 * 7 % 251) }) == digest)
    }

    /// Ids computed by the documented algorithm in Python (`hashlib.sha256`, version and variant bits).
    @Test("observation ids match the documented algorithm, short, non-ASCII and very long ids alike", arguments: [
        ("d", "s", "2025-03-01T07:00:00.5+07:00", "642426da-7504-8a94-82a3-f53d410b848a"),
        ("hanoi-air-quality", "Trạm Hoàn Kiếm", "2025-03-01T00:00:00Z", "aca63f59-dd66-8c47-84cb-c981d25045db"),
        (String(repeating: "x", count: 600), String(repeating: "y", count: 600), "2025-03-01T07:00:00+07:00", "6b15afa6-c327-8a8b-aca5-e44c96b73f0a"),
    ])
    func observationIDVectors(datasetId: String, sourceId: String, observedAt: String, expected: String) throws {
        let instant = try #require(Timestamp(rfc3339: observedAt))
        let id = ObservationID.make(datasetId: datasetId, sourceId: sourceId, observedAt: instant)
        #expect(id == expected)
        let key = try #require(ObservationID.Key(id))
        #expect(key == ObservationID.Key(id.uppercased()))
        #expect(key != ObservationID.Key(ObservationID.make(datasetId: datasetId, sourceId: sourceId + "2", observedAt: instant)))
    }

    @Test("an observation id's key is read only from a UUID's text")
    func keyParsing() {
        #expect(ObservationID.Key("642426da-7504-8a94-82a3-f53d410b848a")?.high == 0x6424_26da_7504_8a94)
        #expect(ObservationID.Key("642426da-7504-8a94-82a3-f53d410b848a")?.low == 0x82a3_f53d_410b_848a)
        for bad in ["", "642426da75048a9482a3f53d410b848a", "642426da-7504-8a94-82a3-f53d410b848", "642426da-7504-8a94-82a3-f53d410b848g",
                    "642426da+7504-8a94-82a3-f53d410b848a"] {
            #expect(ObservationID.Key(bad) == nil, "\(bad)")
        }
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
