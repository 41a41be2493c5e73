import CityEvents
import Foundation

/// Local time for indicator periods: which hour and which local day an instant belongs to.
/// Asia/Ho_Chi_Minh (UTC+07:00, no daylight saving) by default; any IANA zone can be configured.
/// Period starts are returned written with the zone's offset at that instant (e.g. `+07:00`).
public struct LocalClock: Sendable, Hashable {
    /// The zone.
    public let timeZone: TimeZone

    /// The default clock, Asia/Ho_Chi_Minh.
    public static let vietnam = LocalClock(timeZone: TimeZone(identifier: "Asia/Ho_Chi_Minh")!)

    /// A clock for a zone.
    public init(timeZone: TimeZone) {
        self.timeZone = timeZone
    }

    /// A clock for an IANA zone id, or ``IndicatorError/unknownTimeZone(_:)``.
    public init(identifier: String) throws(IndicatorError) {
        guard let zone = TimeZone(identifier: identifier) else { throw .unknownTimeZone(identifier) }
        self.init(timeZone: zone)
    }

    /// The zone's offset from UTC at an instant, in seconds.
    public func offsetSeconds(at instant: Timestamp) -> Int {
        timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant.secondsSinceEpoch)))
    }

    /// The instant written with the zone's offset.
    public func local(_ instant: Timestamp) -> Timestamp {
        instant.withOffset(minutes: Int16(offsetSeconds(at: instant) / 60))
    }

    /// Start of the local clock hour containing an instant.
    public func hourStart(of instant: Timestamp) -> Timestamp {
        let offset = Int64(offsetSeconds(at: instant))
        let localSeconds = instant.secondsSinceEpoch + offset
        let floored = localSeconds - mod(localSeconds, 3_600)
        return local(Timestamp(secondsSinceEpoch: floored - offset))
    }

    /// The hour `count` hours after (or before, negative) an hour start.
    public func hour(_ hourStart: Timestamp, plus count: Int) -> Timestamp {
        local(Timestamp(secondsSinceEpoch: hourStart.secondsSinceEpoch + Int64(count) * 3_600))
    }

    /// The local calendar date of an instant.
    public func date(of instant: Timestamp) -> LocalDate {
        let offset = Int64(offsetSeconds(at: instant))
        let localSeconds = instant.secondsSinceEpoch + offset
        let days = (localSeconds - mod(localSeconds, 86_400)) / 86_400
        return LocalDate(daysSinceEpoch: Int(days))
    }

    /// Start (local midnight) of a local date.
    public func start(of date: LocalDate) -> Timestamp {
        let localMidnight = Int64(date.daysSinceEpoch) * 86_400
        // The offset at midnight is the offset a little before or after; evaluating at the UTC
        // reading of local midnight and correcting once handles any fixed or DST zone outside the
        // switching hour itself.
        let guess = Timestamp(secondsSinceEpoch: localMidnight - Int64(offsetSeconds(at: Timestamp(secondsSinceEpoch: localMidnight))))
        return local(Timestamp(secondsSinceEpoch: localMidnight - Int64(offsetSeconds(at: guess))))
    }

    /// Start of the local day containing an instant.
    public func dayStart(of instant: Timestamp) -> Timestamp { start(of: date(of: instant)) }

    /// The hour starts of a local date, in order (24 in a zone without daylight saving).
    public func hours(of date: LocalDate) -> [Timestamp] {
        let from = start(of: date).secondsSinceEpoch
        let to = start(of: date.adding(days: 1)).secondsSinceEpoch
        return stride(from: from, to: to, by: 3_600).map { local(Timestamp(secondsSinceEpoch: $0)) }
    }

    /// The start of the period of a kind containing an instant.
    public func periodStart(_ period: IndicatorPeriod, containing instant: Timestamp) -> Timestamp {
        switch period {
        case .hour: return hourStart(of: instant)
        case .day: return dayStart(of: instant)
        }
    }

    /// The end (exclusive) of the period starting at `start`.
    public func periodEnd(_ period: IndicatorPeriod, start periodStart: Timestamp) -> Timestamp {
        switch period {
        case .hour: return hour(periodStart, plus: 1)
        case .day: return self.start(of: date(of: periodStart).adding(days: 1))
        }
    }

    private func mod(_ value: Int64, _ modulus: Int64) -> Int64 {
        let remainder = value % modulus
        return remainder < 0 ? remainder + modulus : remainder
    }

    public static func == (lhs: LocalClock, rhs: LocalClock) -> Bool { lhs.timeZone.identifier == rhs.timeZone.identifier }
    public func hash(into hasher: inout Hasher) { hasher.combine(timeZone.identifier) }
}

/// A local calendar date (proleptic Gregorian), e.g. `2026-01-01`.
public struct LocalDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// Year.
    public var year: Int
    /// Month, 1…12.
    public var month: Int
    /// Day, 1…31.
    public var day: Int

    /// Creates a date (not validated).
    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// The date `days` days after 1970-01-01.
    public init(daysSinceEpoch days: Int) {
        // Howard Hinnant's civil-from-days algorithm.
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// Days since 1970-01-01.
    public var daysSinceEpoch: Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date `days` later.
    public func adding(days: Int) -> LocalDate { LocalDate(daysSinceEpoch: daysSinceEpoch + days) }

    /// `YYYY-MM-DD`.
    public var description: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool { lhs.daysSinceEpoch < rhs.daysSinceEpoch }
}
