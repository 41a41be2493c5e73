import CatalogCore
import CityEvents
import Testing

@Suite("Snapshot change stamps")
struct ChangeStampTests {
    @Test("A stamp is now, truncated to microseconds")
    func truncates() {
        let now = Timestamp(secondsSinceEpoch: 1_750_000_000, nanoseconds: 123_456_789)
        #expect(ChangeStamp.next(after: nil, now: now) == Timestamp(secondsSinceEpoch: 1_750_000_000, nanoseconds: 123_456_000))
    }

    @Test("A stamp is strictly after the previous one even when the clock stepped back")
    func monotonic() {
        let previous = Timestamp(secondsSinceEpoch: 1_750_000_000, nanoseconds: 999_999_000)
        let earlier = Timestamp(secondsSinceEpoch: 1_749_999_000)
        let next = ChangeStamp.next(after: previous, now: earlier)
        #expect(next == Timestamp(secondsSinceEpoch: 1_750_000_001, nanoseconds: 0))
        #expect(next > previous)
    }
}
