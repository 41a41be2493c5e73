import CityEvents
import Foundation
import Testing

@Suite("Event ids")
struct EventIDTests {
    @Test("event ids are lowercase random (version 4, RFC 9562 variant) UUIDs, all different across many blocks of randomness")
    func randomVersion4() throws {
        let count = 20_000  // ≈ 80 refills of the 256-id block
        var seen = Set<String>()
        var versionNibbles = Set<Character>(), variantNibbles = Set<Character>()
        for _ in 0..<count {
            let id = EventCodec.newEventID()
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
