import CityEvents
import NotificationsCore
import Testing

/// Retry delays with jitter, then a dead letter.
@Suite("Retry schedule")
struct RetryScheduleTests {
    static let failedAt = Timestamp(secondsSinceEpoch: 1_743_440_400, utcOffsetMinutes: 420)

    func milliseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    }

    @Test("without jitter each retry waits exactly its delay, then the delivery is dead-lettered")
    func exactDelays() throws {
        let schedule = try RetrySchedule(delays: [.seconds(5), .seconds(30), .milliseconds(1500)], jitter: 0)
        var generator = SeededGenerator(seed: 1)
        #expect(schedule.maximumAttempts == 4)
        #expect(schedule.decision(afterFailedAttempt: 1, at: Self.failedAt, using: &generator)
            == .retry(attempt: 2, at: Timestamp(secondsSinceEpoch: 1_743_440_405, utcOffsetMinutes: 420), delay: .seconds(5)))
        #expect(schedule.decision(afterFailedAttempt: 2, at: Self.failedAt, using: &generator)
            == .retry(attempt: 3, at: Timestamp(secondsSinceEpoch: 1_743_440_430, utcOffsetMinutes: 420), delay: .seconds(30)))
        #expect(schedule.decision(afterFailedAttempt: 3, at: Self.failedAt, using: &generator)
            == .retry(attempt: 4, at: Timestamp(secondsSinceEpoch: 1_743_440_401, nanoseconds: 500_000_000, utcOffsetMinutes: 420), delay: .milliseconds(1500)))
        #expect(schedule.decision(afterFailedAttempt: 4, at: Self.failedAt, using: &generator) == .deadLetter(attempts: 4))
    }

    @Test("the default schedule has 9 delays from 5 s to 10 h and dead-letters after the 10th attempt")
    func standard() {
        let schedule = RetrySchedule.standard
        #expect(schedule.delays.first == .seconds(5))
        #expect(schedule.delays.last == .seconds(36_000))
        #expect(zip(schedule.delays, schedule.delays.dropFirst()).allSatisfy { $0 < $1 })
        var generator = SeededGenerator(seed: 2)
        #expect(schedule.decision(afterFailedAttempt: 10, at: Self.failedAt, using: &generator) == .deadLetter(attempts: 10))
    }

    @Test("jitter keeps every delay within ±jitter of its base, varies, and is reproducible from the seed")
    func jitter() throws {
        let schedule = RetrySchedule.standard
        var delays: Set<Int64> = []
        for seed in UInt64(0)..<50 {
            var generator = SeededGenerator(seed: seed)
            for attempt in 1...schedule.delays.count {
                guard case .retry(let next, let at, let delay) = schedule.decision(afterFailedAttempt: attempt, at: Self.failedAt, using: &generator) else {
                    Issue.record("attempt \(attempt) must be retried")
                    continue
                }
                let base = Double(milliseconds(schedule.delays[attempt - 1]))
                let actual = milliseconds(delay)
                #expect(next == attempt + 1)
                #expect(Double(actual) >= (base * 0.8).rounded(.down) && Double(actual) <= (base * 1.2).rounded(.up))
                #expect(at == Self.failedAt.plus(milliseconds: actual))
                if attempt == 4 { delays.insert(actual) }
            }
        }
        #expect(delays.count > 40, "jitter should spread the 10-minute retries; got \(delays.count) distinct values")

        var first = SeededGenerator(seed: 99)
        var second = SeededGenerator(seed: 99)
        #expect(schedule.decision(afterFailedAttempt: 3, at: Self.failedAt, using: &first)
            == schedule.decision(afterFailedAttempt: 3, at: Self.failedAt, using: &second))
    }

    @Test("negative delays and jitter outside 0...1 are refused")
    func invalid() {
        #expect(throws: RetryScheduleError.negativeDelay(index: 1)) { try RetrySchedule(delays: [.seconds(1), .seconds(-1)], jitter: 0.1) }
        #expect(throws: RetryScheduleError.jitterOutOfRange(1.5)) { try RetrySchedule(delays: [.seconds(1)], jitter: 1.5) }
    }
}

extension Timestamp {
    /// Test helper: this instant plus `milliseconds`.
    func plus(milliseconds: Int64) -> Timestamp {
        let total = (Int64(nanoseconds) + milliseconds % 1000 * 1_000_000)
        return Timestamp(secondsSinceEpoch: secondsSinceEpoch + milliseconds / 1000, nanoseconds: Int32(total), utcOffsetMinutes: utcOffsetMinutes)
    }
}
