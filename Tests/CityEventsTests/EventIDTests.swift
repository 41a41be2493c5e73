import CityEvents
import Foundation
import Testing

@Suite("Event ids")
struct EventIDTests {
    @Test("event ids — newEventID()'s and those an EventEncoder makes as bytes — are lowercase random (version 4, RFC 9562 variant) UUIDs, all different across many blocks of randomness")
    func randomVersion4() throws {
        let count = 20_000  // ≈ 5 refills of the 4,096-id block
        var seen = Set<String>()
        var versionNibbles = Set<Character>(), variantNibbles = Set<Character>()
        var encoder = EventEncoder()
        for index in 0..<count {
            let id: String
            if index % 2 == 0 {
                id = EventCodec.newEventID()
            } else {
                let record = try encoder.encode(Samples.observation, source: "/test")
                id = try #require(record.headers.text(for: "ce_id"))
            }
            let characters = Array(id)
            #expect(characters.count == 36)
            #expect([8, 13, 18, 23].allSatisfy { characters[$0] == "-" }, "\(id)")
            #expect(id == id.lowercased())
            let parsed = try #require(UUID(uuidString: id), "\(id) is not a UUID")
            #expect(parsed.uuidString.lowercased() == id)
            versionNibbles.insert(characters[14])
            variantNibbles.insert(characters[19])
            seen.insert(id)
        }
        #expect(seen.count == count)
        #expect(versionNibbles == ["4"])
        #expect(variantNibbles.isSubset(of: ["8", "9", "a", "b"]) && variantNibbles.count == 4)
    }
}
