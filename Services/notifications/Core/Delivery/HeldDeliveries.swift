import Foundation

/// The deliveries a sender holds: claimed from the queue (leased), some in flight, the others
/// waiting in memory for a free slot. Claiming ahead of free slots lets one claim feed many attempts
/// — a finished attempt is followed by the next one at once, without a database round trip — while
/// the limits keep their meaning: at most `concurrency` attempts in flight, at most
/// `concurrencyPerSubscription` per subscription, so a slow or dead endpoint still holds only its own
/// slots. A waiting delivery must start before its `startBy` (its lease covers that wait plus one
/// attempt); past it, it is handed back instead of started, so an attempt never outlives its lease.
///
/// Subscriptions take turns for free slots (round robin), each waiting list is started in claim order.
/// A value type without I/O: the sender owns one and does the claiming, attempting and releasing.
public struct HeldDeliveries<Item: Sendable>: Sendable {
    private struct Waiting: Sendable {
        var item: Item
        var startBy: ContinuousClock.Instant
    }

    public let concurrency: Int
    public let concurrencyPerSubscription: Int
    private var waiting: [UUID: [Waiting]] = [:]
    private var inFlight: [UUID: Int] = [:]
    /// Subscriptions in the order they get their next turn.
    private var turns: [UUID] = []
    /// Subscriptions whose last attempt failed (bounded by the subscriptions this sender serves).
    private var failing: Set<UUID> = []
    public private(set) var inFlightCount = 0
    public private(set) var waitingCount = 0

    public init(concurrency: Int, concurrencyPerSubscription: Int) {
        self.concurrency = max(1, concurrency)
        self.concurrencyPerSubscription = max(1, concurrencyPerSubscription)
    }

    /// Deliveries held in all, in flight or waiting.
    public var count: Int { inFlightCount + waitingCount }

    /// Deliveries held per subscription (in flight or waiting): what a claim must count as taken when
    /// it may hold `limit` per subscription. Claiming ahead only helps a subscription whose attempts
    /// succeed: one whose last attempt failed is reported so that a claim takes no more than its
    /// free slots, and one with all its slots busy as `limit`, so that a claim takes nothing for it.
    public func heldBySubscription(limit: Int) -> [UUID: Int] {
        var held: [UUID: Int] = [:]
        for (subscription, count) in inFlight { held[subscription] = count }
        for (subscription, list) in waiting { held[subscription, default: 0] += list.count }
        for subscription in failing { held[subscription, default: 0] += max(0, limit - concurrencyPerSubscription) }
        for (subscription, count) in inFlight where count >= concurrencyPerSubscription { held[subscription] = max(limit, count) }
        return held
    }

    /// Notes how an attempt of `subscription` ended: after a failure it gets no deliveries claimed
    /// ahead until an attempt succeeds again.
    public mutating func noteOutcome(of subscription: UUID, succeeded: Bool) {
        if succeeded { failing.remove(subscription) } else { failing.insert(subscription) }
    }

    /// Adds newly claimed deliveries, in claim order; each must start before `startBy`.
    public mutating func add(_ items: [(subscription: UUID, item: Item)], startBy: ContinuousClock.Instant) {
        for (subscription, item) in items {
            if waiting[subscription] == nil && inFlight[subscription] == nil { turns.append(subscription) }
            waiting[subscription, default: []].append(Waiting(item: item, startBy: startBy))
            waitingCount += 1
        }
    }

    /// Takes the deliveries to start now — as many as the free slots allow, subscriptions taking
    /// turns — and those whose `startBy` has passed (to hand back, not start). The started ones count
    /// as in flight until `finished(subscription:)`.
    public mutating func take(now: ContinuousClock.Instant) -> (start: [Item], expired: [Item]) {
        // Each waiting list is in claim order, so its `startBy`s never decrease: the late ones are a
        // prefix, and only the first of each list needs a look.
        var expired: [Item] = []
        for subscription in turns {
            guard let first = waiting[subscription]?.first, first.startBy <= now else { continue }
            let late = waiting[subscription]!.prefix { $0.startBy <= now }.count
            expired += waiting[subscription]![..<late].map(\.item)
            waiting[subscription]!.removeFirst(late)
            waitingCount -= late
            if waiting[subscription]!.isEmpty { waiting[subscription] = nil }
        }
        var start: [Item] = []
        var progress = true
        while progress && inFlightCount < concurrency {
            progress = false
            for subscription in turns where inFlightCount < concurrency {
                // Changed in place: a copy of the list per started delivery made a take cost
                // O(waiting²) (15 % of the sender's CPU under load).
                guard waiting[subscription]?.isEmpty == false, inFlight[subscription, default: 0] < concurrencyPerSubscription
                else { continue }
                start.append(waiting[subscription]!.removeFirst().item)
                if waiting[subscription]!.isEmpty { waiting[subscription] = nil }
                waitingCount -= 1
                inFlight[subscription, default: 0] += 1
                inFlightCount += 1
                progress = true
            }
        }
        if !start.isEmpty && !turns.isEmpty { turns.append(turns.removeFirst()) }  // the next take starts elsewhere
        forgetIdle()
        return (start, expired)
    }

    /// An attempt of `subscription` finished: its slot is free.
    public mutating func finished(subscription: UUID) {
        guard let count = inFlight[subscription] else { return }
        inFlight[subscription] = count > 1 ? count - 1 : nil
        inFlightCount -= 1
        forgetIdle()
    }

    /// Removes and returns every waiting delivery (on shutdown: they are handed back unattempted).
    public mutating func removeWaiting() -> [Item] {
        let items = turns.flatMap { waiting[$0]?.map(\.item) ?? [] }
        waiting = [:]
        waitingCount = 0
        forgetIdle()
        return items
    }

    private mutating func forgetIdle() {
        turns.removeAll { waiting[$0] == nil && inFlight[$0] == nil }
    }
}
