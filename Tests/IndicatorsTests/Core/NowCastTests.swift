import IndicatorsCore
import Testing

@Suite("NowCast")
struct NowCastTests {
    @Test("constant hours give the constant")
    func constant() throws {
        let result = try #require(NowCast.compute(Array(repeating: 42, count: 12)))
        #expect(abs(result.concentration - 42) < 1e-9)
        #expect(result.weight == 1)
        #expect(result.hoursUsed == 12)
    }

    @Test("w* below ½ is raised to ½")
    func minimumWeight() throws {
        let result = try #require(NowCast.compute([40, 10]))
        #expect(result.weight == 0.5)
        #expect(abs(result.concentration - (40 + 0.5 * 10) / 1.5) < 1e-9)
    }

    @Test("w* above ½ is used as is")
    func ratioWeight() throws {
        let result = try #require(NowCast.compute([30, 20]))
        #expect(abs(result.weight - 2.0 / 3.0) < 1e-12)
        #expect(abs(result.concentration - 26) < 1e-9)
    }

    @Test("a missing hour has no weight, but later hours keep their exponent")
    func missingHour() throws {
        // c1 = 10, c2 missing, c3 = 20: w = ½, NowCast = (10 + ¼·20) / (1 + ¼) = 12.
        let result = try #require(NowCast.compute([10, nil, 20]))
        #expect(abs(result.concentration - 12) < 1e-9)
        #expect(result.hoursUsed == 2)
    }

    @Test("2 of the 3 latest hours are required")
    func twoOfThree() throws {
        #expect(NowCast.compute([nil, nil, 30, 30, 30, 30]) == nil)
        #expect(NowCast.compute([30, nil, nil, 30, 30, 30, 30, 30, 30, 30, 30, 30]) == nil)
        #expect(NowCast.compute([nil, 30, nil, 30]) == nil)
        let withoutCurrent = try #require(NowCast.compute([nil, 30, 30]))
        #expect(!withoutCurrent.currentHourPresent)
        let withCurrent = try #require(NowCast.compute([30, nil, 30]))
        #expect(withCurrent.currentHourPresent)
    }

    @Test("only 12 hours are read; all-zero hours give 0")
    func window() throws {
        let result = try #require(NowCast.compute(Array(repeating: 10, count: 12) + [1_000]))
        #expect(abs(result.concentration - 10) < 1e-9)
        #expect(try #require(NowCast.compute([0, 0, 0])).concentration == 0)
    }

    @Test("the VN hourly PM2.5 sub-index uses the NowCast, and a missing current hour makes it incomplete")
    func hourlyUsesNowCast() throws {
        let rising: [Double?] = [80, 40] + Array(repeating: 20, count: 10)
        let result = try #require(VNAQI.hourly(VNAQI.HourlyInput(pm25: rising)))
        let nowCast = try #require(NowCast.compute(rising))
        #expect(result.concentrations[.pm25] == nowCast.concentration)
        #expect(result.complete)
        let gap = try #require(VNAQI.hourly(VNAQI.HourlyInput(pm25: [nil, 40, 40])))
        #expect(!gap.complete)
        #expect(VNAQI.hourly(VNAQI.HourlyInput(pm25: [40, nil, nil, 40])) == nil)
    }
}
