import CatalogCore
import Testing

@Suite("ISO 8601 durations (updateFrequency)")
struct ISODurationTests {
    @Test("Common update frequencies have their length in seconds", arguments: [
        ("PT1H", 3_600.0), ("PT15M", 900), ("P1D", 86_400), ("P1W", 604_800), ("P1DT12H", 129_600), ("PT1.5H", 5_400), ("PT30S", 30),
    ])
    func lengths(text: String, seconds: Double) throws {
        let duration = try #require(ISODuration(text))
        #expect(duration.seconds == seconds)
    }

    @Test("Malformed, zero and out-of-order durations are refused", arguments: [
        "", "1H", "P", "PT", "PT0S", "P1H", "PTH", "PT1M1H", "P1.5DT1H", "hourly", "PT-1H", "P1DT",
    ])
    func refused(text: String) {
        #expect(ISODuration(text) == nil)
    }
}
