import CityEvents
import NotificationsCore
import Testing

/// One delivery per interval per key, the latest winning.
@Suite("Throttle")
struct ThrottleTests {
    static let throttle = Throttle(interval: .seconds(3600))
    static func at(_ seconds: Int64) -> Timestamp { Timestamp(secondsSinceEpoch: 1_743_440_400 + seconds) }
    static func event(_ id: String, _ seconds: Int64) -> ThrottledEvent { ThrottledEvent(id: id, time: at(seconds)) }

    @Test("the first event goes now; the next inside the interval is held until the interval ends")
    func firstThenHold() {
        var state = ThrottleState()
        #expect(Self.throttle.offer(Self.event("a", 0), to: &state, now: Self.at(0)) == .deliverNow(discarding: nil))
        #expect(Self.throttle.offer(Self.event("b", 60), to: &state, now: Self.at(60)) == .hold(until: Self.at(3600), discarding: nil))
        #expect(state.held?.id == "b")
    }

    @Test("a newer event replaces the held one; an older one is dropped")
    func latestWins() {
        var state = ThrottleState()
        _ = Self.throttle.offer(Self.event("a", 0), to: &state, now: Self.at(0))
        _ = Self.throttle.offer(Self.event("b", 60), to: &state, now: Self.at(60))
        #expect(Self.throttle.offer(Self.event("c", 120), to: &state, now: Self.at(120)) == .hold(until: Self.at(3600), discarding: "b"))
        #expect(Self.throttle.offer(Self.event("late", 90), to: &state, now: Self.at(130)) == .discard(.olderThanHeld(heldEventId: "c")))
        #expect(Self.throttle.offer(Self.event("stale", -10), to: &state, now: Self.at(140)) == .discard(.olderThanDelivered))
        #expect(state.held?.id == "c")
    }

    @Test("release delivers the held event only once the interval has ended, and restarts the interval")
    func release() {
        var state = ThrottleState()
        _ = Self.throttle.offer(Self.event("a", 0), to: &state, now: Self.at(0))
        _ = Self.throttle.offer(Self.event("b", 60), to: &state, now: Self.at(60))
        #expect(Self.throttle.release(&state, now: Self.at(3599)) == nil)
        #expect(Self.throttle.release(&state, now: Self.at(3600)) == Self.event("b", 60))
        #expect(state.held == nil && state.lastDeliveredAt == Self.at(3600))
        #expect(Self.throttle.release(&state, now: Self.at(9000)) == nil, "nothing held")
        #expect(Self.throttle.offer(Self.event("c", 3700), to: &state, now: Self.at(3700)) == .hold(until: Self.at(7200), discarding: nil))
    }

    @Test("after a quiet interval an event goes at once, dropping a held event the timer missed")
    func afterInterval() {
        var state = ThrottleState()
        _ = Self.throttle.offer(Self.event("a", 0), to: &state, now: Self.at(0))
        _ = Self.throttle.offer(Self.event("b", 60), to: &state, now: Self.at(60))
        #expect(Self.throttle.offer(Self.event("c", 5000), to: &state, now: Self.at(5000)) == .deliverNow(discarding: "b"))
        #expect(state.lastDeliveredEventTime == Self.at(5000) && state.held == nil)
        #expect(Self.throttle.offer(Self.event("d", 9000), to: &state, now: Self.at(8600)) == .deliverNow(discarding: nil))
    }

    @Test("a zero interval delivers every event in order")
    func zeroInterval() {
        let throttle = Throttle(interval: .zero)
        var state = ThrottleState()
        for second in Int64(0)..<5 {
            #expect(throttle.offer(Self.event("e\(second)", second), to: &state, now: Self.at(second)) == .deliverNow(discarding: nil))
        }
    }
}
