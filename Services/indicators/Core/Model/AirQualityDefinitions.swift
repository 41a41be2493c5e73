/// The air-quality indicator definitions.
public enum AirQualityDefinitions {
    static let decision1459 = SourceDocument(
        title: "Decision 1459/QĐ-TCMT (12 Nov 2019), Vietnam Environment Administration",
        note: "VN_AQI: breakpoint tables, NowCast for PM, hourly and daily AQI, categories and colours")
    static let epa2024 = SourceDocument(
        title: "US EPA, Technical Assistance Document for the Reporting of Daily Air Quality – the AQI (2024)",
        note: "AQI breakpoints in force from 6 May 2024, truncation, NowCast")
    static let qcvn = SourceDocument(
        title: "QCVN 05:2023/BTNMT (Circular 01/2023/TT-BTNMT)",
        note: "National technical regulation on ambient air quality; PM2.5 24-hour limit 50 µg/m³, 45 µg/m³ from 2026-01-01")
    static let who2021 = SourceDocument(title: "WHO global air quality guidelines (2021)", note: "PM2.5 24-hour guideline 15 µg/m³")

    private static let gases: [IndicatorInput] = [Pollutant.o3, .no2, .so2, .co].map {
        IndicatorInput(quantity: $0.quantity, aggregation: .hourlyMean)
    }

    /// `vn_aqi_hourly`.
    public static let vnAqiHourly = IndicatorDefinition(
        id: "vn_aqi_hourly",
        name: LocalizedText(vi: "Chỉ số chất lượng không khí Việt Nam theo giờ (VN_AQI giờ)", en: "Vietnam Air Quality Index, hourly (VN_AQI)"),
        description: LocalizedText(
            vi: "AQI giờ theo Quyết định 1459/QĐ-TCMT: giá trị lớn nhất của các AQI thành phần; bụi PM2.5 và PM10 dùng NowCast 12 giờ.",
            en: "Hourly AQI per Decision 1459/QĐ-TCMT: the largest pollutant sub-index; PM2.5 and PM10 use the 12-hour NowCast."),
        family: "air_quality", period: .hour,
        inputs: [
            IndicatorInput(quantity: "pm25", aggregation: .nowCast12h, lookbackHours: 11),
            IndicatorInput(quantity: "pm10", aggregation: .nowCast12h, lookbackHours: 11),
        ] + gases,
        formula: IndicatorFormula(
            kind: .vnAqiHourly,
            text: "AQI_x = (I_{i+1} − I_i)/(BP_{i+1} − BP_i) × (C_x − BP_i) + I_i with the decision's continuous tables; "
                + "C = NowCast for PM2.5/PM10 (w* = c_min/c_max over the available of the last 12 hours, w = max(w*, ½), "
                + "NowCast = Σ w^(i−1) c_i / Σ w^(i−1)), the 1-hour mean for O3 (1-hour column), NO2, SO2, CO. "
                + "AQI = max_x AQI_x rounded half up; the dominant pollutant is the one with the largest sub-index."),
        dataCapture: DataCaptureRule(
            minimum: "A PM2.5 or PM10 NowCast: at least 2 of the 3 latest hours of that pollutant (no value otherwise).",
            complete: "Every contributing pollutant has a mean for the current hour (a NowCast from the two previous hours only is incomplete)."),
        unit: "1", bands: AirQualityBands.vn, references: [decision1459])

    /// `vn_aqi_daily`.
    public static let vnAqiDaily = IndicatorDefinition(
        id: "vn_aqi_daily",
        name: LocalizedText(vi: "Chỉ số chất lượng không khí Việt Nam theo ngày (VN_AQI ngày)", en: "Vietnam Air Quality Index, daily (VN_AQI)"),
        description: LocalizedText(
            vi: "AQI ngày theo Quyết định 1459/QĐ-TCMT cho một ngày theo giờ địa phương (01:00–24:00).",
            en: "Daily AQI per Decision 1459/QĐ-TCMT for one local day (hours 01:00–24:00)."),
        family: "air_quality", period: .day,
        inputs: [
            IndicatorInput(quantity: "pm25", aggregation: .dailyMean),
            IndicatorInput(quantity: "pm10", aggregation: .dailyMean),
            IndicatorInput(quantity: "o3", aggregation: .dailyMax1h),
            IndicatorInput(quantity: "o3", aggregation: .dailyMax8hMean, lookbackHours: 7),
            IndicatorInput(quantity: "no2", aggregation: .dailyMax1h),
            IndicatorInput(quantity: "so2", aggregation: .dailyMax1h),
            IndicatorInput(quantity: "co", aggregation: .dailyMax1h),
        ],
        formula: IndicatorFormula(
            kind: .vnAqiDaily,
            text: "PM2.5, PM10: sub-index of the 24-hour mean; NO2, SO2, CO: of the day's highest 1-hour mean; O3: the larger of "
                + "the 1-hour-column sub-index of the highest 1-hour mean and the 8-hour-column sub-index of the highest 8-hour "
                + "running mean (skipped above 400 µg/m³; an 8-hour mean needs 6 of its 8 hours). AQI = max, rounded half up."),
        dataCapture: DataCaptureRule(
            minimum: "At least one hourly mean of PM2.5 or PM10 in the day.",
            complete: "Every contributing pollutant has at least 18 of the day's 24 hourly means (75 %).",
            requiredHours: VNAQI.dailyRequiredHours, outOfHours: 24),
        unit: "1", bands: AirQualityBands.vn, references: [decision1459])

    /// `us_aqi_hourly`.
    public static let usAqiHourly = IndicatorDefinition(
        id: "us_aqi_hourly",
        name: LocalizedText(vi: "AQI Hoa Kỳ theo giờ (PM2.5)", en: "US AQI, hourly (PM2.5)"),
        description: LocalizedText(
            vi: "AQI của US EPA tính trên nồng độ PM2.5 trung bình giờ, như IQAir và các ứng dụng công bố.",
            en: "The US EPA AQI of the hourly mean PM2.5, as IQAir and most apps publish it."),
        family: "air_quality", period: .hour,
        inputs: [IndicatorInput(quantity: "pm25", aggregation: .hourlyMean)],
        formula: IndicatorFormula(
            kind: .usAqiPM25,
            text: "Truncate the hourly mean to 0.1 µg/m³, look it up in the 2024 PM2.5 table (0–9.0, 9.1–35.4, 35.5–55.4, "
                + "55.5–125.4, 125.5–225.4, 225.5–325.4 → 0–50 … 301–500; above 325.4 the top row is extrapolated), "
                + "interpolate, round half up."),
        dataCapture: DataCaptureRule(
            minimum: "At least one PM2.5 reading in the hour.",
            complete: "Always complete when it exists (the method reads one hour)."),
        unit: "1", bands: AirQualityBands.us, references: [epa2024])

    /// `us_aqi_nowcast`.
    public static let usAqiNowCast = IndicatorDefinition(
        id: "us_aqi_nowcast",
        name: LocalizedText(vi: "AQI Hoa Kỳ theo NowCast (PM2.5)", en: "US AQI, NowCast (PM2.5)"),
        description: LocalizedText(
            vi: "AQI của US EPA tính trên NowCast 12 giờ của PM2.5.",
            en: "The US EPA AQI of the 12-hour PM2.5 NowCast."),
        family: "air_quality", period: .hour,
        inputs: [IndicatorInput(quantity: "pm25", aggregation: .nowCast12h, lookbackHours: 11)],
        formula: IndicatorFormula(
            kind: .usAqiPM25NowCast,
            text: "EPA NowCast of the last 12 hourly means (minimum weight ½, 2 of the 3 latest hours required), truncated to "
                + "0.1 µg/m³, looked up in the 2024 PM2.5 table, rounded half up."),
        dataCapture: DataCaptureRule(
            minimum: "At least 2 of the 3 latest hourly means.",
            complete: "The current hour's mean is present."),
        unit: "1", bands: AirQualityBands.us, references: [epa2024])

    /// The limits of `pm25_24h_mean`.
    public static let pm25Limits: [LimitValue] = [
        LimitValue(
            code: "qcvn_05_2023_pm25_24h", name: LocalizedText(vi: "Giới hạn QCVN 05:2023 (24 giờ)", en: "QCVN 05:2023 limit (24 h)"),
            value: 50, unit: "µg/m³", validUntil: "2026-01-01", reference: qcvn.title),
        LimitValue(
            code: "qcvn_05_2023_pm25_24h_2026", name: LocalizedText(vi: "Giới hạn QCVN 05:2023 từ 2026 (24 giờ)", en: "QCVN 05:2023 limit from 2026 (24 h)"),
            value: 45, unit: "µg/m³", validFrom: "2026-01-01", reference: qcvn.title),
        LimitValue(
            code: "who_2021_pm25_24h", name: LocalizedText(vi: "Hướng dẫn WHO 2021 (24 giờ)", en: "WHO 2021 guideline (24 h)"),
            value: 15, unit: "µg/m³", reference: who2021.title),
    ]

    /// `pm25_24h_mean`.
    public static let pm25DailyMean = IndicatorDefinition(
        id: "pm25_24h_mean",
        name: LocalizedText(vi: "Nồng độ PM2.5 trung bình 24 giờ", en: "PM2.5 24-hour mean"),
        description: LocalizedText(
            vi: "Trung bình PM2.5 của ngày theo giờ địa phương, so với QCVN 05:2023 và hướng dẫn WHO 2021.",
            en: "The local day's PM2.5 mean, compared with QCVN 05:2023 and the WHO 2021 guideline."),
        family: "air_quality", period: .day,
        inputs: [IndicatorInput(quantity: "pm25", aggregation: .dailyMean)],
        formula: IndicatorFormula(
            kind: .dailyMeanWithLimits,
            text: "Mean of the day's hourly means, rounded half up to 0.1 µg/m³; exceeds a limit when strictly above it. "
                + "The QCVN limit is the one valid on the local date (50 µg/m³ until 2025-12-31, 45 µg/m³ from 2026-01-01)."),
        dataCapture: DataCaptureRule(
            minimum: "At least one hourly mean in the day.",
            complete: "At least 18 of the day's 24 hourly means (75 %).",
            requiredHours: 18, outOfHours: 24),
        unit: "µg/m³",
        bands: [
            CategoryBand(
                code: "within_who", name: LocalizedText(vi: "Đạt hướng dẫn WHO", en: "Within WHO guideline"),
                minimum: 0, maximum: 15, colour: "#00e400"),
            CategoryBand(
                code: "above_who", name: LocalizedText(vi: "Vượt hướng dẫn WHO", en: "Above WHO guideline"),
                minimum: nil, maximum: nil, colour: "#ffff00", severity: .info,
                rule: "above 15 µg/m³ and at most the QCVN limit valid on the date"),
            CategoryBand(
                code: "above_qcvn", name: LocalizedText(vi: "Vượt QCVN 05:2023", en: "Above QCVN 05:2023"),
                minimum: nil, maximum: nil, colour: "#ff7e00", severity: .warning,
                rule: "above the QCVN limit valid on the date (50, or 45 from 2026-01-01)"),
        ],
        limits: pm25Limits, references: [qcvn, who2021])

    /// All air-quality definitions.
    public static let all: [IndicatorDefinition] = [vnAqiHourly, vnAqiDaily, usAqiHourly, usAqiNowCast, pm25DailyMean]
}
