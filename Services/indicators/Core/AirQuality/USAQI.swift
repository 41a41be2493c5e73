import CityEvents

/// The US EPA AQI (2024 PM2.5 breakpoints): truncate, look up, round half up.
public enum USAQI {
    /// Molar volume at 25 °C and 1 atm, L/mol.
    public static let molarVolume = 24.45

    /// The AQI of a PM2.5 concentration in µg/m³ (an hourly mean, a NowCast or a 24-hour mean).
    public static func pm25(_ concentration: Double) -> Int? {
        USAQITables.pm25.subIndex(concentration).map(AQIRounding.halfUp)
    }

    /// The concentration in the unit of the pollutant's US table, from µg/m³ (gases: ppb = µg/m³ ×
    /// 24.45 / M; ppm = ppb / 1000).
    public static func tableConcentration(_ pollutant: Pollutant, micrograms: Double) -> Double {
        switch pollutant {
        case .pm25, .pm10: return micrograms
        case .no2: return micrograms * molarVolume / QuantityRegistry.MolarMass.no2
        case .so2: return micrograms * molarVolume / QuantityRegistry.MolarMass.so2
        case .o3: return micrograms * molarVolume / QuantityRegistry.MolarMass.o3 / 1_000
        case .co: return micrograms * molarVolume / QuantityRegistry.MolarMass.co / 1_000
        }
    }

    /// The rounded sub-index of a pollutant from a concentration in µg/m³ (averaged as its table
    /// requires: PM 24 h, CO and O3 8 h, SO2 and NO2 1 h).
    public static func subIndex(_ pollutant: Pollutant, micrograms: Double) -> Int? {
        USAQITables.table(for: pollutant).subIndex(tableConcentration(pollutant, micrograms: micrograms)).map(AQIRounding.halfUp)
    }
}
