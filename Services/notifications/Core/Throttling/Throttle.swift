import CityEvents

/// At most one delivery per ``interval`` for each (subscription, key) — e.g. one AQI alert per
/// station and hour — with the latest event winning: an event arriving inside the interval is held
/// until the interval ends, replacing any event already held for the key, and the held event is
/// delivered when the interval ends (``release(_:now:)``).
///
/// Pure: the state lives in the App's database (one row per subscription and key), and both
/// ``offer(_:to:now:)`` and ``release(_:now:)`` must run inside a transaction holding that row's
/// lock (`SELECT … FOR UPDATE`, the row created with `INSERT … ON CONFLICT DO NOTHING` first), so
/// that with several replicas exactly one of them decides for a key at a time.
public struct Throttle: Sendable, Hashable {
    /// The shortest time between two deliveries for one key; zero delivers everything.
    public var interval: Duration

    /// A throttle.
    public init(interval: Duration) {
        self.interval = interval
    }

    /// Decides for `event`, arriving at `now`, and updates `state`.
    public func offer(_ event: ThrottledEvent, to state: inout ThrottleState, now: Timestamp) -> ThrottleDecision {
        if let delivered = state.lastDeliveredEventTime, event.time < delivered {
            return .discard(.olderThanDelivered)
        }
        if let held = state.held, event.time < held.time {
            return .discard(.olderThanHeld(heldEventId: held.id))
        }
        let replaced = state.held?.id
        if let opens = state.windowOpensAt(interval: interval), now < opens {
            state.held = event
            return .hold(until: opens, discarding: replaced)
        }
        state.markDelivered(event, at: now)
        return .deliverNow(discarding: replaced)
    }

    /// The held event to deliver now that its interval has ended (`nil` if none is due), and the
    /// updated `state`. The App calls this when the time returned by ``ThrottleDecision/hold(until:discarding:)``
    /// comes (e.g. a `release_at` column polled with `FOR UPDATE SKIP LOCKED`).
    public func release(_ state: inout ThrottleState, now: Timestamp) -> ThrottledEvent? {
        guard let held = state.held else { return nil }
        if let opens = state.windowOpensAt(interval: interval), now < opens { return nil }
        state.markDelivered(held, at: now)
        return held
    }
}

/// An event offered to the throttle: its id and its time (the later time wins).
public struct ThrottledEvent: Sendable, Hashable, Codable {
    /// The CloudEvent id.
    public var id: String
    /// The event's time (the payload's period end or the CloudEvent `time`).
    public var time: Timestamp

    /// An event.
    public init(id: String, time: Timestamp) {
        self.id = id
        self.time = time
    }
}

/// The throttle's memory for one (subscription, key).
public struct ThrottleState: Sendable, Hashable, Codable {
    /// When an event for the key was last delivered.
    public var lastDeliveredAt: Timestamp?
    /// The time of that event.
    public var lastDeliveredEventTime: Timestamp?
    /// The event waiting for the interval to end.
    public var held: ThrottledEvent?

    /// A key nothing was delivered for yet.
    public init(lastDeliveredAt: Timestamp? = nil, lastDeliveredEventTime: Timestamp? = nil, held: ThrottledEvent? = nil) {
        self.lastDeliveredAt = lastDeliveredAt
        self.lastDeliveredEventTime = lastDeliveredEventTime
        self.held = held
    }

    /// When the next delivery is allowed.
    func windowOpensAt(interval: Duration) -> Timestamp? {
        lastDeliveredAt.map { $0.adding(interval) }
    }

    mutating func markDelivered(_ event: ThrottledEvent, at time: Timestamp) {
        lastDeliveredAt = time
        lastDeliveredEventTime = event.time
        held = nil
    }
}

/// What to do with an offered event.
public enum ThrottleDecision: Sendable, Hashable {
    /// Deliver it now; drop the event that was held for the key, if any.
    case deliverNow(discarding: String?)
    /// Keep it until `until` (replacing the held event `discarding`, if any), then deliver it.
    case hold(until: Timestamp, discarding: String?)
    /// Drop it: a later event for the key was already delivered or is held.
    case discard(ThrottleDiscardReason)
}

/// Why an offered event was dropped.
public enum ThrottleDiscardReason: Sendable, Hashable {
    /// An event with a later time was already delivered for the key.
    case olderThanDelivered
    /// An event with a later time is held for the key.
    case olderThanHeld(heldEventId: String)
}
