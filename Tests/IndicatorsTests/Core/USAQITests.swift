import CityEvents
import IndicatorsCore
import Testing

/// US EPA AQI, 2024 breakpoints, as docs/reference/air-quality.md prints them.
@Suite("US AQI (EPA 2024)")
struct USAQITests {
    static let indexRows: [(Int, Int)] = [(0, 50), (51, 100), (101, 150), (151, 200), (201, 300), (301, 500)]
    static let reference: [(String, BreakpointTable, [(Double, Double)])] = [
        ("PM2.5", USAQITables.pm25, [(0.0, 9.0), (9.1, 35.4), (35.5, 55.4), (55.5, 125.4), (125.5, 225.4), (225.5, 325.4)]),
        ("PM10", USAQITables.pm10, [(0, 54), (55, 154), (155, 254), (255, 354), (355, 424), (425, 604)]),
        ("CO", USAQITables.co, [(0.0, 4.4), (4.5, 9.4), (9.5, 12.4), (12.5, 15.4), (15.5, 30.4), (30.5, 50.4)]),
        ("SO2", USAQITables.so2, [(0, 35), (36, 75), (76, 185), (186, 304), (305, 604), (605, 1_004)]),
        ("NO2", USAQITables.no2, [(0, 53), (54, 100), (101, 360), (361, 649), (650, 1_249), (1_250, 2_049)]),
        ("O3 8h", USAQITables.o3EightHour, [(0.000, 0.054), (0.055, 0.070), (0.071, 0.085), (0.086, 0.105), (0.106, 0.200)]),
    ]

    @Test("both ends of every row of every table give the row's index ends")
    func everyBoundary() throws {
        for (name, table, rows) in Self.reference {
            for (row, (low, high)) in rows.enumerated() {
                let expected = Self.indexRows[row]
                #expect(table.subIndex(low).map(AQIRounding.halfUp) == expected.0, "\(name) \(low)")
                #expect(table.subIndex(high).map(AQIRounding.halfUp) == expected.1, "\(name) \(high)")
            }
        }
        #expect(USAQITables.o3EightHour.subIndex(0.201) == nil, "8-hour O3 above 0.200 ppm defers to the 1-hour table")
    }

    @Test("concentrations are truncated before the lookup (EPA), not rounded")
    func truncation() {
        #expect(USAQI.pm25(9.09) == 50)
        #expect(USAQI.pm25(9.1) == 51)
        #expect(USAQI.pm25(35.49) == 100)
        #expect(USAQI.pm25(35.5) == 101)
        #expect(USAQI.pm25(55.45) == 150)
        #expect(USAQI.subIndex(.pm10, micrograms: 54.9) == 50)
    }

    @Test("the index is rounded half up: 70.5 µg/m³ → 161.5 → 162")
    func rounding() {
        #expect(USAQI.pm25(70.5) == 162)
    }

    @Test("gases convert from µg/m³ with the molar masses at 25 °C")
    func gasConversion() {
        let no2At100ppb = 100 * QuantityRegistry.MolarMass.no2 / 24.45
        #expect(USAQI.subIndex(.no2, micrograms: no2At100ppb) == 100)
        let coAt9_4ppm = 9.4 * 1_000 * QuantityRegistry.MolarMass.co / 24.45
        #expect(USAQI.subIndex(.co, micrograms: coAt9_4ppm) == 100)
    }

    @Test("US categories have EPA names, Vietnamese names and colours")
    func categories() {
        let band = AirQualityBands.band(of: 120, in: AirQualityBands.us)
        #expect(band.code == "unhealthy_for_sensitive_groups")
        #expect(band.colour == "#ff7e00")
        #expect(!band.name.vi.isEmpty)
    }
}
