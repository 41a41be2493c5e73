/// The category bands of VN_AQI (Decision 1459/QĐ-TCMT, Table 1) and of the US EPA AQI.
public enum AirQualityBands {
    private static func band(
        _ code: String, _ vi: String, _ en: String, _ minimum: Double, _ maximum: Double?, _ colour: String,
        _ severity: AlertSeveritySpec?
    ) -> CategoryBand {
        CategoryBand(code: code, name: LocalizedText(vi: vi, en: en), minimum: minimum, maximum: maximum, colour: colour, severity: severity)
    }

    /// VN_AQI: Tốt, Trung bình, Kém, Xấu, Rất xấu, Nguy hại, with the decision's RGB colours.
    /// Severities follow the alert event: moderate → info, poor and bad → warning, very bad and
    /// hazardous → critical.
    public static let vn: [CategoryBand] = [
        band("good", "Tốt", "Good", 0, 50, "#00e400", nil),
        band("moderate", "Trung bình", "Moderate", 51, 100, "#ffff00", .info),
        band("poor", "Kém", "Poor", 101, 150, "#ff7e00", .warning),
        band("bad", "Xấu", "Bad", 151, 200, "#ff0000", .warning),
        band("very_bad", "Rất xấu", "Very bad", 201, 300, "#8f3f97", .critical),
        band("hazardous", "Nguy hại", "Hazardous", 301, nil, "#7e0023", .critical),
    ]

    /// US EPA AQI categories with EPA's colours.
    public static let us: [CategoryBand] = [
        band("good", "Tốt", "Good", 0, 50, "#00e400", nil),
        band("moderate", "Trung bình", "Moderate", 51, 100, "#ffff00", .info),
        band("unhealthy_for_sensitive_groups", "Có hại cho nhóm nhạy cảm", "Unhealthy for sensitive groups", 101, 150, "#ff7e00", .warning),
        band("unhealthy", "Có hại cho sức khỏe", "Unhealthy", 151, 200, "#ff0000", .warning),
        band("very_unhealthy", "Rất có hại cho sức khỏe", "Very unhealthy", 201, 300, "#8f3f97", .critical),
        band("hazardous", "Nguy hại", "Hazardous", 301, nil, "#7e0023", .critical),
    ]

    /// The band of a rounded index in a list of AQI bands (the top band for anything above).
    public static func band(of index: Int, in bands: [CategoryBand]) -> CategoryBand {
        bands.first { $0.contains(Double(index)) } ?? bands[bands.count - 1]
    }
}
