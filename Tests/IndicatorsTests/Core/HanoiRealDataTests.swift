import CityEvents
import Foundation
import IndicatorsCore
import Testing

/// `us_aqi_hourly` against the `aqi` column IQAir published for Hanoi, March 2025.
@Suite("Real data: Hanoi, March 2025")
struct HanoiRealDataTests {
    /// The repository root: the directory above this file holding the CityData `Package.swift`.
    static func repositoryRoot() throws -> URL {
        var directory = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        while directory.path != "/" {
            let manifest = directory.appendingPathComponent("Package.swift")
            if let text = try? String(contentsOf: manifest, encoding: .utf8), text.contains("name: \"CityData\"") { return directory }
            directory = directory.deletingLastPathComponent()
        }
        throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "no CityData Package.swift above \(#filePath)"])
    }

    /// One row: time, published AQI, pollutant values (`nil` for `N/A`).
    struct Row {
        var observedAt: Timestamp
        var aqi: Int?
        var pm25: Double?
        var values: [String: Double]
    }

    /// The pollutant columns replayed (co is left out: its unit changes within the file, see the data README).
    static let replayed = ["pm25", "pm10", "o3", "no2", "so2"]

    /// A tiny reader for this file's shape (no quoted fields): header names → columns.
    static func rows(_ text: String) throws -> [Row] {
        var lines = text.split(whereSeparator: \.isNewline).map(String.init)
        let header = lines.removeFirst().split(separator: ",").map(String.init)
        guard let time = header.firstIndex(of: "timestamp"), let aqi = header.firstIndex(of: "aqi"), let pm25 = header.firstIndex(of: "pm25") else {
            throw CocoaError(.fileReadCorruptFile)
        }
        return try lines.map { line in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard let observedAt = Timestamp(rfc3339: fields[time]) else { throw CocoaError(.fileReadCorruptFile) }
            var values: [String: Double] = [:]
            for name in replayed {
                if let column = header.firstIndex(of: name), let value = Double(fields[column]) { values[name] = value }
            }
            return Row(observedAt: observedAt, aqi: Int(fields[aqi]), pm25: Double(fields[pm25]), values: values)
        }
    }

    static func march() throws -> [Row] {
        let file = try repositoryRoot().appendingPathComponent("deploy/demo/data/iqair-vn-2025/hanoi/aqi_hanoi_2025_mar.csv")
        return try rows(String(contentsOf: file, encoding: .utf8))
    }

    @Test("replaying the month observation by observation ends with the values computed from the whole month")
    func incrementalReplay() throws {
        let clock = LocalClock.vietnam
        let engine = IndicatorEngine(clock: clock)
        let indicators: Set<String> = ["vn_aqi_hourly", "vn_aqi_daily", "us_aqi_hourly", "us_aqi_nowcast", "pm25_24h_mean"]
        var aggregates: [String: HourlyAggregate] = [:]
        var series = HourlySeries(source: "hanoi")
        var watermark = SourceWatermark(source: "hanoi")
        var published: [ValueIdentity: PublishedValue] = [:]
        var publications = 0, unchanged = 0, rejected = 0
        for row in try Self.march().sorted(by: { $0.observedAt < $1.observedAt }) where !row.values.isEmpty {
            let before = watermark
            switch LatenessPolicy.standard.admit(observedAt: row.observedAt, watermark: watermark, now: row.observedAt) {
            case .success(let next): watermark = next
            case .failure: rejected += 1; continue
            }
            let hour = clock.hourStart(of: row.observedAt)
            for (quantity, value) in row.values {
                let key = "\(quantity)@\(hour.secondsSinceEpoch)"
                let aggregate = aggregates[key].map { $0.adding(value, observedAt: row.observedAt) }
                    ?? HourlyAggregate(source: "hanoi", quantity: quantity, hourStart: hour, value: value, observedAt: row.observedAt)
                aggregates[key] = aggregate
                series.set(quantity, hourStart: hour, mean: aggregate.mean, count: aggregate.count)
            }
            let plan = RecomputePlan.affected(source: "hanoi", observedAt: row.observedAt, quantities: Set(row.values.keys), clock: clock,
                progress: WatermarkAdvance(from: before, to: watermark))
            for identity in plan.values where indicators.contains(identity.indicatorId) {
                guard let result = try engine.compute(identity.indicatorId, source: "hanoi", periodStart: identity.periodStart, series: series).result else { continue }
                switch ValueRevision.decide(result, previous: published[identity], computedAt: row.observedAt, datasetId: "hanoi-air") {
                case .publish(let event, let stored):
                    #expect(event.version == (published[identity]?.version ?? 0) + 1)
                    published[identity] = stored
                    publications += 1
                case .unchanged:
                    unchanged += 1
                }
            }
        }
        var differing = 0
        for (identity, stored) in published {
            let batch = try #require(try engine.compute(identity.indicatorId, source: "hanoi", periodStart: identity.periodStart, series: series).result)
            if batch.content != stored.content { differing += 1 }
        }
        let revised = published.values.filter { $0.version > 1 }.count
        print("Hanoi 2025-03 replay: \(published.count) values, \(publications) publications (\(revised) values revised), \(unchanged) unchanged recomputations not published, \(rejected) rejected")
        #expect(rejected == 0)
        #expect(differing == 0)
        #expect(published.keys.filter { $0.indicatorId == "vn_aqi_daily" }.count == 31)
        #expect(revised > 0, "NowCast hours and days are revised as later hours arrive")
    }

    @Test("us_aqi_hourly matches the published aqi for hours with a single reading")
    func matchesPublishedAQI() throws {
        let rows = try Self.march()
        let clock = LocalClock.vietnam
        let byHour = Dictionary(grouping: rows) { clock.hourStart(of: $0.observedAt).secondsSinceEpoch }
        let engine = IndicatorEngine(clock: clock)
        var compared = 0, exact = 0, withinOne = 0
        var mismatches: [String] = []
        for (_, hourRows) in byHour.sorted(by: { $0.key < $1.key }) where hourRows.count == 1 {
            let row = hourRows[0]
            guard let published = row.aqi, let pm25 = row.pm25 else { continue }
            let hour = clock.hourStart(of: row.observedAt)
            var series = HourlySeries(source: "hanoi")
            series.set("pm25", hourStart: hour, mean: pm25)
            let result = try #require(try engine.compute("us_aqi_hourly", source: "hanoi", periodStart: hour, series: series).result)
            compared += 1
            let difference = Int(result.value) - published
            if difference == 0 { exact += 1 }
            if abs(difference) <= 1 { withinOne += 1 } else { mismatches.append("\(row.observedAt) pm25 \(pm25) → \(Int(result.value)), published \(published)") }
        }
        let exactRate = Double(exact) / Double(compared)
        let withinRate = Double(withinOne) / Double(compared)
        print("Hanoi 2025-03: \(compared) single-reading hours; exact \(exact) (\(String(format: "%.2f", exactRate * 100)) %), within ±1 \(withinOne) (\(String(format: "%.2f", withinRate * 100)) %)")
        print("Mismatches beyond ±1 (\(mismatches.count)), first 10:\n" + mismatches.prefix(10).joined(separator: "\n"))
        #expect(compared >= 500)
        #expect(withinRate >= 0.99, "measured 694 of 701 (99.00 %) within ±1")
        #expect(exactRate >= 0.97, "measured 683 of 701 (97.43 %) exact")
    }
}
