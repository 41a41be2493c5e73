import ArgumentParser
import CityEvents
import Foundation

/// A point in time on the command line: RFC 3339 (`2025-03-01T00:00:00+07:00`), milliseconds since the
/// epoch (`1740762000000`), `now`, or relative to now (`-30s`, `-15m`, `-2h`, `-1d`).
struct TimeArgument: ExpressibleByArgument, Sendable {
    /// Milliseconds since the epoch.
    var milliseconds: Int64

    init(milliseconds: Int64) { self.milliseconds = milliseconds }

    init?(argument: String) {
        guard let parsed = TimeArgument.parse(argument, now: Date()) else { return nil }
        self = parsed
    }

    static func parse(_ text: String, now: Date) -> TimeArgument? {
        let nowMs = Int64((now.timeIntervalSince1970 * 1000).rounded())
        if text == "now" { return TimeArgument(milliseconds: nowMs) }
        if text.hasPrefix("-"), let unit = text.last, let amount = Int64(text.dropFirst().dropLast()), amount >= 0 {
            let factor: Int64
            switch unit {
            case "s": factor = 1_000
            case "m": factor = 60_000
            case "h": factor = 3_600_000
            case "d": factor = 86_400_000
            default: return nil
            }
            return TimeArgument(milliseconds: nowMs - amount * factor)
        }
        if text.count >= 10, text.allSatisfy(\.isNumber), let value = Int64(text) { return TimeArgument(milliseconds: value) }
        if let timestamp = Timestamp(rfc3339: text) {
            return TimeArgument(milliseconds: timestamp.secondsSinceEpoch * 1000 + Int64(timestamp.nanoseconds) / 1_000_000)
        }
        return nil
    }

    static var defaultValueDescription: String { "RFC 3339, epoch milliseconds, now, or relative as --from-time=-15m (s, m, h, d)" }

    /// Milliseconds since the epoch as RFC 3339 in UTC with milliseconds.
    static func rfc3339(_ milliseconds: Int64) -> String {
        let seconds = milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
        let nanos = Int32((milliseconds - seconds * 1000) * 1_000_000)
        return Timestamp(secondsSinceEpoch: seconds, nanoseconds: nanos).rfc3339
    }
}
