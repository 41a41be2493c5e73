import CityEvents
import IndicatorsCore
import Testing

/// VN_AQI per Decision 1459/QĐ-TCMT: the tables as docs/reference/air-quality.md prints them,
/// written out here independently of the implementation.
@Suite("VN_AQI (Decision 1459/QĐ-TCMT)")
struct VNAQITests {
    static let indices: [Double] = [0, 50, 100, 150, 200, 300, 400, 500]
    static let reference: [(String, BreakpointTable, [Double])] = [
        ("O3 1h", VNAQITables.o3OneHour, [0, 160, 200, 300, 400, 800, 1_000, 1_200]),
        ("O3 8h", VNAQITables.o3EightHour, [0, 100, 120, 170, 210, 400]),
        ("CO", VNAQITables.co, [0, 10_000, 30_000, 45_000, 60_000, 90_000, 120_000, 150_000]),
        ("SO2", VNAQITables.so2, [0, 125, 350, 550, 800, 1_600, 2_100, 2_630]),
        ("NO2", VNAQITables.no2, [0, 100, 200, 700, 1_200, 2_350, 3_100, 3_850]),
        ("PM10", VNAQITables.pm10, [0, 50, 150, 250, 350, 420, 500, 600]),
        ("PM2.5", VNAQITables.pm25, [0, 25, 50, 80, 150, 250, 350, 500]),
    ]

    @Test("every breakpoint of every table gives exactly its index; midpoints interpolate linearly")
    func everyBoundary() throws {
        for (name, table, breakpoints) in Self.reference {
            for (i, bp) in breakpoints.enumerated() {
                let index = try #require(table.subIndex(bp), "\(name) at \(bp)")
                #expect(abs(index - Self.indices[i]) < 1e-9, "\(name): BP \(bp) should give \(Self.indices[i]), got \(index)")
                if i + 1 < breakpoints.count {
                    let mid = (bp + breakpoints[i + 1]) / 2
                    let expected = (Self.indices[i] + Self.indices[i + 1]) / 2
                    let got = try #require(table.subIndex(mid))
                    #expect(abs(got - expected) < 1e-9, "\(name): midpoint \(mid) should give \(expected), got \(got)")
                    // Continuity: just above a breakpoint the index is just above the breakpoint's index (no 25.1-style gap).
                    let above = try #require(table.subIndex(bp + 0.001))
                    #expect(above > Self.indices[i] && above < Self.indices[i] + 1, "\(name): \(bp)+0.001 → \(above)")
                }
            }
        }
    }

    @Test("the O3 8-hour column has no value above 400 µg/m³; other tables extrapolate above 500")
    func aboveScale() {
        #expect(VNAQITables.o3EightHour.subIndex(400.1) == nil)
        #expect((VNAQITables.pm25.subIndex(650) ?? 0) > 500)
        #expect(VNAQITables.pm25.subIndex(-1) == nil)
    }

    @Test("worked example of §2.3: hourly NO2 118.7 µg/m³ gives 59.35, so 59 (the decision prints 60)")
    func workedExampleNO2() throws {
        let index = try #require(VNAQITables.no2.subIndex(118.7))
        #expect(abs(index - 59.35) < 1e-9)
        #expect(AQIRounding.halfUp(index) == 59)
        let hourly = try #require(VNAQI.hourly(VNAQI.HourlyInput(pm25: [10, 10, 10], gases: [.no2: 118.7])))
        #expect(hourly.subIndices[.no2] == 59)
        #expect(hourly.aqi == 59)
        #expect(hourly.dominant == .no2)
    }

    @Test("the overall AQI is the largest sub-index rounded half up")
    func halfUp() throws {
        // PM2.5 NowCast 57.5 (constant hours): 100 + 50/30 × 7.5 = 112.5 → 113.
        let result = try #require(VNAQI.hourly(VNAQI.HourlyInput(pm25: Array(repeating: 57.5, count: 12), gases: [.no2: 118.7])))
        #expect(result.aqi == 113)
        #expect(result.dominant == .pm25)
        #expect(result.band.code == "poor")
        #expect(AQIRounding.halfUp(59.5) == 60)
        #expect(AQIRounding.halfUp(59.49) == 59)
    }

    @Test("a value needs PM2.5 or PM10; gases alone give none")
    func requiresPM() {
        #expect(VNAQI.hourly(VNAQI.HourlyInput(gases: [.no2: 150, .o3: 100])) == nil)
        #expect(VNAQI.hourly(VNAQI.HourlyInput(pm10: [80, 80], gases: [.no2: 150])) != nil)
    }

    @Test("category bands: names in Vietnamese and English, colours, at every boundary")
    func categories() {
        let cases: [(Int, String, String, String)] = [
            (0, "good", "Tốt", "#00e400"), (50, "good", "Tốt", "#00e400"),
            (51, "moderate", "Trung bình", "#ffff00"), (100, "moderate", "Trung bình", "#ffff00"),
            (101, "poor", "Kém", "#ff7e00"), (150, "poor", "Kém", "#ff7e00"),
            (151, "bad", "Xấu", "#ff0000"), (200, "bad", "Xấu", "#ff0000"),
            (201, "very_bad", "Rất xấu", "#8f3f97"), (300, "very_bad", "Rất xấu", "#8f3f97"),
            (301, "hazardous", "Nguy hại", "#7e0023"), (500, "hazardous", "Nguy hại", "#7e0023"),
            (612, "hazardous", "Nguy hại", "#7e0023"),
        ]
        for (aqi, code, vi, colour) in cases {
            let band = AirQualityBands.band(of: aqi, in: AirQualityBands.vn)
            #expect(band.code == code, "AQI \(aqi)")
            #expect(band.name.vi == vi, "AQI \(aqi)")
            #expect(band.colour == colour, "AQI \(aqi)")
        }
        #expect(AirQualityBands.band(of: 101, in: AirQualityBands.vn).name.en == "Poor")
    }

    @Test("daily: PM from the 24-hour mean, gases from the highest hour, O3 the larger of the 1h and 8h columns")
    func daily() throws {
        let pm25: [Double?] = Array(repeating: 30, count: 12) + Array(repeating: 70, count: 12)  // mean 50 → 100
        let no2: [Double?] = Array(repeating: 50, count: 23) + [200]  // max 200 → 100
        // O3 at 115 all day: 1h column 115 → 35.9; 8h column 115 → 87.5 wins.
        let o3: [Double?] = Array(repeating: 115, count: 24)
        let result = try #require(VNAQI.daily(VNAQI.DailyInput(hours: [.pm25: pm25, .no2: no2, .o3: o3], o3PrecedingHours: Array(repeating: 115, count: 7))))
        #expect(result.subIndices[.pm25] == 100)
        #expect(result.subIndices[.no2] == 100)
        #expect(result.subIndices[.o3] == 88)  // 87.5 rounded half up
        #expect(result.aqi == 100)
        #expect(result.complete)
    }

    @Test("daily capture: 17 hours of PM2.5 are incomplete, 18 complete")
    func dailyCapture() throws {
        let seventeen: [Double?] = Array(repeating: 40, count: 17) + Array(repeating: nil, count: 7)
        let eighteen: [Double?] = Array(repeating: 40, count: 18) + Array(repeating: nil, count: 6)
        let incomplete = try #require(VNAQI.daily(VNAQI.DailyInput(hours: [.pm25: seventeen])))
        let complete = try #require(VNAQI.daily(VNAQI.DailyInput(hours: [.pm25: eighteen])))
        #expect(!incomplete.complete)
        #expect(complete.complete)
        #expect(incomplete.aqi == complete.aqi)
    }

    @Test("8-hour O3 means need 6 of 8 hours and reach back into the previous day")
    func eightHourMeans() {
        let day: [Double?] = [200] + Array(repeating: nil, count: 23)
        // Only one hour of the day: a window ending at 00:00 needs 5 of the 7 preceding hours too.
        #expect(VNAQI.maximumEightHourMean(preceding: [], day: day) == nil)
        let mean = VNAQI.maximumEightHourMean(preceding: [100, 100, 100, 100, 100, nil, nil], day: day)
        #expect(mean.map { abs($0 - 700.0 / 6) < 1e-9 } == true)
    }
}
