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
/// `take` is called after every finished attempt, so it costs O(subscriptions) — not O(waiting) —
/// unless a start-by time has passed.
public struct HeldDeliveries<Item: Sendable>: Sendable {
    private struct Waiting: Sendable {
        var item: Item
        var startBy: ContinuousClock.Instant
    }

    public let concurrency: Int
    public let concurrencyPerSubscription: Int
    private var waiting: [UUID: WaitingQueue<Waiting>] = [:]
    private var inFlight: [UUID: Int] = [:]
    /// Attempts finished per subscription since the last ``claimed()``: how fast it takes deliveries.
    private var finishedSinceClaim: [UUID: Int] = [:]
    /// No waiting delivery has an earlier start-by (it may be earlier than the true minimum).
    private var earliestStartBy: ContinuousClock.Instant?
    /// Subscriptions in the order they get their next turn.
    private var turns: [UUID] = []
    /// Subscriptions whose last attempt failed (bounded by the subscriptions this sender serves).
    private var failing: Set<UUID> = []
    public private(set) var inFlightCount = 0
    public private(set) var waitingCount = 0

    /// How many deliveries, per attempt finished since the last claim, a claim may take ahead for a
    /// subscription whose slots are all busy.
    public static var aheadPerFinish: Int { 4 }

    public init(concurrency: Int, concurrencyPerSubscription: Int) {
        self.concurrency = max(1, concurrency)
        self.concurrencyPerSubscription = max(1, concurrencyPerSubscription)
    }

    /// Deliveries held in all, in flight or waiting.
    public var count: Int { inFlightCount + waitingCount }

    /// What a claim must count as taken per subscription when it may hold `limit` per subscription:
    /// `limit` minus what this subscription should get now. A subscription gets its free slots plus
    /// `aheadPerFinish` for each attempt it finished since the last claim, less what already waits
    /// for it — so claiming ahead follows each endpoint's pace: a fast one keeps a queue in memory
    /// even with every slot busy, a slow or dead one (nothing finishing) gets its free slots only,
    /// and one whose last attempt failed gets nothing ahead. Subscriptions missing from the answer
    /// have nothing held and no history since the last claim: the claim decides for them.
    public func heldBySubscription(limit: Int) -> [UUID: Int] {
        var known = Set(inFlight.keys)
        known.formUnion(waiting.keys)
        known.formUnion(finishedSinceClaim.keys)
        var held: [UUID: Int] = [:]
        for subscription in known {
            let running = inFlight[subscription, default: 0]
            let waits = waiting[subscription]?.count ?? 0
            let freeSlots = max(0, concurrencyPerSubscription - running)
            let allowance = failing.contains(subscription) ? 0 : Self.aheadPerFinish * finishedSinceClaim[subscription, default: 0]
            let wanted = min(max(0, limit - running - waits), max(0, freeSlots + allowance - waits))
            held[subscription] = limit - wanted
        }
        return held
    }

    /// A claim was made: the finish counts start again.
    public mutating func claimed() {
        finishedSinceClaim = [:]
    }

    /// Notes how an attempt of `subscription` ended: after a failure it gets no deliveries claimed
    /// ahead until an attempt succeeds again.
    public mutating func noteOutcome(of subscription: UUID, succeeded: Bool) {
        if succeeded { failing.remove(subscription) } else { failing.insert(subscription) }
    }

    /// Adds newly claimed deliveries, in claim order; each must start before `startBy`.
    public mutating func add(_ items: [(subscription: UUID, item: Item)], startBy: ContinuousClock.Instant) {
        guard !items.isEmpty else { return }
        for (subscription, item) in items {
            if waiting[subscription] == nil && inFlight[subscription] == nil { turns.append(subscription) }
            waiting[subscription, default: WaitingQueue()].append(Waiting(item: item, startBy: startBy))
            waitingCount += 1
        }
        earliestStartBy = min(earliestStartBy ?? startBy, startBy)
    }

    /// Takes the deliveries to start now — as many as the free slots allow, subscriptions taking
    /// turns — and those whose `startBy` has passed (to hand back, not start). The started ones count
    /// as in flight until `finished(subscription:)`.
    public mutating func take(now: ContinuousClock.Instant) -> (start: [Item], expired: [Item]) {
        let expired = removeExpired(now: now)
        var start: [Item] = []
        var progress = true
        while progress && inFlightCount < concurrency {
            progress = false
            for subscription in turns where inFlightCount < concurrency {
                guard inFlight[subscription, default: 0] < concurrencyPerSubscription,
                    let item = waiting[subscription]?.popFirst()?.item
                else { continue }
                if waiting[subscription]?.isEmpty == true { waiting[subscription] = nil }
                start.append(item)
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
        finishedSinceClaim[subscription, default: 0] += 1
        forgetIdle()
    }

    /// Removes and returns every waiting delivery (on shutdown: they are handed back unattempted).
    public mutating func removeWaiting() -> [Item] {
        let items = turns.flatMap { waiting[$0]?.elements.map(\.item) ?? [] }
        waiting = [:]
        waitingCount = 0
        earliestStartBy = nil
        forgetIdle()
        return items
    }

    /// Scans the waiting lists only once the earliest start-by has passed, and notes the next one.
    private mutating func removeExpired(now: ContinuousClock.Instant) -> [Item] {
        guard let earliest = earliestStartBy, earliest <= now else { return [] }
        var expired: [Item] = []
        var next: ContinuousClock.Instant?
        for (subscription, queue) in waiting {
            let (late, onTime) = queue.elements.partitioned { $0.startBy <= now }
            if !late.isEmpty {
                expired += late.map(\.item)
                waitingCount -= late.count
                waiting[subscription] = onTime.isEmpty ? nil : WaitingQueue(onTime)
            }
            if let first = onTime.map(\.startBy).min() { next = min(next ?? first, first) }
        }
        earliestStartBy = next
        return expired
    }

    private mutating func forgetIdle() {
        turns.removeAll { waiting[$0] == nil && inFlight[$0] == nil }
    }
}

/// A first-in, first-out list with O(1) removal at the front (the array is compacted now and then).
struct WaitingQueue<Element: Sendable>: Sendable {
    private var storage: [Element] = []
    private var head = 0

    init() {}
    init(_ elements: [Element]) { storage = elements }

    var count: Int { storage.count - head }
    var isEmpty: Bool { count == 0 }
    var elements: ArraySlice<Element> { storage[head...] }

    mutating func append(_ element: Element) { storage.append(element) }

    mutating func popFirst() -> Element? {
        guard head < storage.count else { return nil }
        let element = storage[head]
        head += 1
        if head >= 64 && head * 2 >= storage.count {
            storage.removeFirst(head)
            head = 0
        }
        return element
    }
}

extension Collection {
    /// The elements that satisfy `belongs`, and the others, each in order.
    fileprivate func partitioned(_ belongs: (Element) -> Bool) -> (matching: [Element], others: [Element]) {
        var matching: [Element] = [], others: [Element] = []
        for element in self {
            if belongs(element) { matching.append(element) } else { others.append(element) }
        }
        return (matching, others)
    }
}
