import Foundation
import NotificationsCore
import Testing

/// The sender's held deliveries: limits, turns, claim order, hand-back of late ones.
@Suite("Held deliveries")
struct HeldDeliveriesTests {
    let healthy = UUID()
    let dead = UUID()
    let now = ContinuousClock.now

    func items(_ subscription: UUID, _ names: [String]) -> [(subscription: UUID, item: String)] {
        names.map { (subscription, $0) }
    }

    @Test("No more than the per-subscription limit in flight; the rest start, in claim order, as slots free")
    func perSubscriptionLimit() {
        var held = HeldDeliveries<String>(concurrency: 10, concurrencyPerSubscription: 2)
        held.add(items(healthy, ["a", "b", "c", "d"]), startBy: now + .seconds(10))
        let first = held.take(now: now)
        #expect(first.start == ["a", "b"])
        #expect(first.expired.isEmpty)
        #expect(held.take(now: now).start.isEmpty, "both slots are busy")
        held.finished(subscription: healthy)
        #expect(held.take(now: now).start == ["c"])
        #expect(held.inFlightCount == 2 && held.waitingCount == 1 && held.count == 3)
    }

    @Test("A subscription whose slots are all busy does not hold up another's waiting deliveries")
    func isolation() {
        var held = HeldDeliveries<String>(concurrency: 4, concurrencyPerSubscription: 2)
        held.add(items(dead, ["d1", "d2", "d3", "d4"]), startBy: now + .seconds(10))
        #expect(held.take(now: now).start == ["d1", "d2"])
        held.add(items(healthy, ["h1", "h2", "h3"]), startBy: now + .seconds(10))
        #expect(held.take(now: now).start == ["h1", "h2"])
        held.finished(subscription: healthy)
        #expect(held.take(now: now).start == ["h3"], "the dead subscription's waiting deliveries take no healthy slot")
    }

    @Test("The total limit is shared by turns: each subscription gets slots, not the first one all of them")
    func turns() {
        var held = HeldDeliveries<String>(concurrency: 4, concurrencyPerSubscription: 4)
        held.add(items(dead, ["d1", "d2", "d3", "d4"]), startBy: now + .seconds(10))
        held.add(items(healthy, ["h1", "h2", "h3", "h4"]), startBy: now + .seconds(10))
        let started = held.take(now: now).start
        #expect(started.count == 4)
        #expect(Set(started) == ["d1", "d2", "h1", "h2"])
    }

    @Test("A delivery still waiting at its start-by time is handed back, never started")
    func lateOnesHandedBack() {
        var held = HeldDeliveries<String>(concurrency: 1, concurrencyPerSubscription: 1)
        held.add(items(healthy, ["early"]), startBy: now + .seconds(30))
        held.add(items(healthy, ["late-1", "late-2"]), startBy: now + .seconds(5))
        #expect(held.take(now: now).start == ["early"])
        let later = held.take(now: now + .seconds(6))
        #expect(later.start.isEmpty)
        #expect(later.expired == ["late-1", "late-2"])
        #expect(held.waitingCount == 0 && held.inFlightCount == 1)
    }

    @Test("A claim counts what is held; a subscription with every slot busy is reported full")
    func heldForClaims() {
        var held = HeldDeliveries<String>(concurrency: 10, concurrencyPerSubscription: 2)
        held.add(items(dead, ["d1", "d2", "d3"]), startBy: now + .seconds(10))
        held.add(items(healthy, ["h1"]), startBy: now + .seconds(10))
        _ = held.take(now: now)
        let counts = held.heldBySubscription(limit: 64)
        #expect(counts[dead] == 64)
        #expect(counts[healthy] == 1)
    }

    @Test("After a failed attempt a subscription is claimed for its free slots only, until one succeeds")
    func noPrefetchWhileFailing() {
        var held = HeldDeliveries<String>(concurrency: 10, concurrencyPerSubscription: 2)
        held.add(items(healthy, ["h1"]), startBy: now + .seconds(10))
        _ = held.take(now: now)
        held.finished(subscription: healthy)
        held.noteOutcome(of: healthy, succeeded: false)
        #expect(held.heldBySubscription(limit: 8)[healthy] == 6, "8 − 6 = the 2 free slots")
        held.noteOutcome(of: healthy, succeeded: true)
        #expect(held.heldBySubscription(limit: 8)[healthy] == nil, "nothing held: the whole limit may be claimed")
    }

    @Test("On shutdown the waiting deliveries are removed for hand-back; those in flight stay counted")
    func shutdown() {
        var held = HeldDeliveries<String>(concurrency: 1, concurrencyPerSubscription: 1)
        held.add(items(healthy, ["a", "b", "c"]), startBy: now + .seconds(10))
        _ = held.take(now: now)
        #expect(held.removeWaiting() == ["b", "c"])
        #expect(held.waitingCount == 0 && held.inFlightCount == 1)
        held.finished(subscription: healthy)
        #expect(held.count == 0)
    }
}
