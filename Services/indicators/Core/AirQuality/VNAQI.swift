/// VN_AQI as Decision 1459/QĐ-TCMT (2019) defines it. All concentrations in µg/m³.
public enum VNAQI {
    /// The hourly inputs of one station.
    public struct HourlyInput: Sendable, Hashable {
        /// PM2.5 hourly means, index 0 the current hour (up to 12 are read).
        public var pm25: [Double?]
        /// PM10 hourly means, index 0 the current hour.
        public var pm10: [Double?]
        /// The current hour's 1-hour means of O3, NO2, SO2, CO (PM entries are ignored).
        public var gases: [Pollutant: Double]

        /// Creates the inputs.
        public init(pm25: [Double?] = [], pm10: [Double?] = [], gases: [Pollutant: Double] = [:]) {
            self.pm25 = pm25
            self.pm10 = pm10
            self.gases = gases
        }
    }

    /// The hourly VN_AQI: NowCast sub-indices for PM2.5 and PM10, 1-hour sub-indices for the gases
    /// (O3 from the 1-hour column), the largest rounded half up. `nil` without a PM sub-index (the
    /// decision requires PM2.5 or PM10). Complete when every contributing pollutant has its current hour.
    public static func hourly(_ input: HourlyInput) -> AQIComputation? {
        var unrounded: [Pollutant: Double] = [:]
        var concentrations: [Pollutant: Double] = [:]
        var complete = true
        for (pollutant, hours) in [(Pollutant.pm25, input.pm25), (.pm10, input.pm10)] {
            guard let nowCast = NowCast.compute(hours),
                let index = VNAQITables.table(for: pollutant).subIndex(nowCast.concentration)
            else { continue }
            unrounded[pollutant] = index
            concentrations[pollutant] = nowCast.concentration
            complete = complete && nowCast.currentHourPresent
        }
        guard !unrounded.isEmpty else { return nil }
        for (pollutant, mean) in input.gases where !pollutant.usesNowCast {
            guard let index = VNAQITables.table(for: pollutant).subIndex(mean) else { continue }
            unrounded[pollutant] = index
            concentrations[pollutant] = mean
        }
        return AQIComputation.combine(unrounded, concentrations: concentrations, complete: complete, bands: AirQualityBands.vn)
    }

    /// The daily inputs of one station: the hourly means of one local day.
    public struct DailyInput: Sendable, Hashable {
        /// Per pollutant, the 24 hourly means of the day (index 0 = 00:00–01:00 local, the decision's
        /// hour "01:00"); missing hours `nil`.
        public var hours: [Pollutant: [Double?]]
        /// The 7 O3 hourly means before the day (oldest first), so that 8-hour means ending in the
        /// day's first hours can be formed.
        public var o3PrecedingHours: [Double?]

        /// Creates the inputs.
        public init(hours: [Pollutant: [Double?]], o3PrecedingHours: [Double?] = []) {
            self.hours = hours
            self.o3PrecedingHours = o3PrecedingHours
        }
    }

    /// Hours of a day required for a complete daily value (18 of 24, 75 %).
    public static let dailyRequiredHours = 18
    /// Hours of an 8-hour window required for an 8-hour mean (6 of 8, 75 %).
    public static let eightHourRequiredHours = 6

    /// The daily VN_AQI: PM from the 24-hour mean; SO2, NO2, CO from the day's highest 1-hour mean;
    /// O3 the larger of the 1-hour-column sub-index of the highest 1-hour mean and the 8-hour-column
    /// sub-index of the highest 8-hour mean (skipped above 400 µg/m³). `nil` without PM. Complete when
    /// every contributing pollutant has at least 18 of 24 hours.
    public static func daily(_ input: DailyInput) -> AQIComputation? {
        var unrounded: [Pollutant: Double] = [:]
        var concentrations: [Pollutant: Double] = [:]
        var complete = true
        func present(_ pollutant: Pollutant) -> [Double] {
            (input.hours[pollutant] ?? []).prefix(24).compactMap { value in
                guard let value, value.isFinite, value >= 0 else { return nil }
                return value
            }
        }
        for pollutant in [Pollutant.pm25, .pm10] {
            let values = present(pollutant)
            guard !values.isEmpty else { continue }
            let mean = values.reduce(0, +) / Double(values.count)
            guard let index = VNAQITables.table(for: pollutant).subIndex(mean) else { continue }
            unrounded[pollutant] = index
            concentrations[pollutant] = mean
            complete = complete && values.count >= dailyRequiredHours
        }
        guard !unrounded.isEmpty else { return nil }
        for pollutant in [Pollutant.no2, .so2, .co] {
            let values = present(pollutant)
            guard let maximum = values.max(), let index = VNAQITables.table(for: pollutant).subIndex(maximum) else { continue }
            unrounded[pollutant] = index
            concentrations[pollutant] = maximum
            complete = complete && values.count >= dailyRequiredHours
        }
        let o3 = present(.o3)
        if let maximum = o3.max(), let oneHour = VNAQITables.o3OneHour.subIndex(maximum) {
            var index = oneHour
            var concentration = maximum
            if let eightHour = maximumEightHourMean(preceding: input.o3PrecedingHours, day: input.hours[.o3] ?? []),
                let eightHourIndex = VNAQITables.o3EightHour.subIndex(eightHour), eightHourIndex > index
            {
                index = eightHourIndex
                concentration = eightHour
            }
            unrounded[.o3] = index
            concentrations[.o3] = concentration
            complete = complete && o3.count >= dailyRequiredHours
        }
        return AQIComputation.combine(unrounded, concentrations: concentrations, complete: complete, bands: AirQualityBands.vn)
    }

    /// The highest 8-hour running mean over windows ending in the day's hours; a window needs 6 of its
    /// 8 hours. `preceding` are the hours before the day (oldest first; only the last 7 are used).
    public static func maximumEightHourMean(preceding: [Double?], day: [Double?]) -> Double? {
        let before = Array(preceding.suffix(7))
        let padded = Array(repeating: Double?.none, count: 7 - before.count) + before
        let series = padded + Array(day.prefix(24))
        var best: Double?
        for end in 7..<series.count {
            let window = series[(end - 7)...end].compactMap { value -> Double? in
                guard let value, value.isFinite, value >= 0 else { return nil }
                return value
            }
            guard window.count >= eightHourRequiredHours else { continue }
            let mean = window.reduce(0, +) / Double(window.count)
            best = max(best ?? mean, mean)
        }
        return best
    }
}
