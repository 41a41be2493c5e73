import CityEvents
import Foundation
import Testing

@Suite("RFC 3339 timestamps")
struct TimestampTests {
    @Test("accepts offsets with and without fractions, keeps the offset", arguments: [
        ("2025-04-01T00:01:08+07:00", "2025-04-01T00:01:08+07:00"),
        ("2025-03-01T00:01:17.669055+07:00", "2025-03-01T00:01:17.669055+07:00"),
        ("2025-03-01T00:01:17.500+07:00", "2025-03-01T00:01:17.5+07:00"),
        ("2025-03-01T00:01:17.123456789Z", "2025-03-01T00:01:17.123456789Z"),
        ("2025-03-01t00:01:17z", "2025-03-01T00:01:17Z"),
        ("2025-03-01T00:01:17+00:00", "2025-03-01T00:01:17Z"),
        ("1969-12-31T23:59:59.9-03:30", "1969-12-31T23:59:59.9-03:30"),
        ("2024-02-29T12:00:00+05:45", "2024-02-29T12:00:00+05:45"),
    ])
    func parsesAndFormats(input: String, output: String) throws {
        let timestamp = try #require(Timestamp(rfc3339: input))
        #expect(timestamp.rfc3339 == output)
        #expect(Timestamp(rfc3339: output) == timestamp)
    }

    @Test("instant is computed with the offset")
    func instant() throws {
        let local = try #require(Timestamp(rfc3339: "2025-04-01T07:00:00+07:00"))
        let utc = try #require(Timestamp(rfc3339: "2025-04-01T00:00:00Z"))
        #expect(local.isSameInstant(as: utc))
        #expect(local != utc)
        #expect(local.secondsSinceEpoch == 1_743_465_600)
        #expect(local.utc.rfc3339 == "2025-04-01T00:00:00Z")
        #expect(utc.withOffset(minutes: 420).rfc3339 == "2025-04-01T07:00:00+07:00")
    }

    @Test("refuses text without offset or with impossible values", arguments: [
        "2025-04-01T00:01:08", "2025-04-01", "2025-04-01T00:01+07:00", "2025-02-30T00:00:00Z",
        "2025-13-01T00:00:00Z", "2025-04-01T24:00:00Z", "2025-04-01T00:00:00.Z", "2025-04-01T00:00:00+0700",
        "2025-04-01T00:00:00Z trailing", "", "now",
    ])
    func refuses(input: String) {
        #expect(Timestamp(rfc3339: input) == nil)
        if case .failure(let error) = Timestamp.parse(input) {
            #expect(error.description.contains("RFC 3339"))
        } else {
            Issue.record("\(input) parsed")
        }
    }

    @Test("a missing offset is explained")
    func missingOffsetMessage() {
        guard case .failure(let error) = Timestamp.parse("2025-04-01T00:01:08") else {
            Issue.record("parsed")
            return
        }
        #expect(error.reason.contains("offset"))
    }

    @Test("JSON coding rejects timestamps without offset with a field path")
    func codable() throws {
        struct Wrapper: Codable { var at: Timestamp }
        let good = try PayloadJSON.decode(Wrapper.self, from: Array(#"{"at":"2025-04-01T00:01:08+07:00"}"#.utf8))
        #expect(good.at.utcOffsetMinutes == 420)
        #expect(throws: EventDecodingError.self) {
            try PayloadJSON.decode(Wrapper.self, from: Array(#"{"at":"2025-04-01T00:01:08"}"#.utf8))
        }
        do {
            _ = try PayloadJSON.decode(Wrapper.self, from: Array(#"{"at":"2025-04-01T00:01:08"}"#.utf8))
        } catch {
            #expect(error.description.hasPrefix("field 'at' has an invalid value"))
        }
    }

    @Test("Date conversion keeps microseconds")
    func dateConversion() throws {
        let timestamp = try #require(Timestamp(rfc3339: "2025-03-01T00:01:17.669055+07:00"))
        let back = Timestamp(timestamp.date, utcOffsetMinutes: 420)
        #expect(abs(Int(back.nanoseconds) - Int(timestamp.nanoseconds)) < 1_000)
        #expect(back.secondsSinceEpoch == timestamp.secondsSinceEpoch)
    }
}
