/// A unit a measurement may be expressed in. The raw value is the symbol written in events
/// (`µg/m³` uses U+00B5 MICRO SIGN and U+00B3 SUPERSCRIPT THREE); ``init(symbol:)`` also accepts the
/// spellings publishers use (`ug/m3`, `μg/m3` with a Greek mu, `C`, `km/hr`, `m3`…).
public enum MeasurementUnit: String, Sendable, Hashable, CaseIterable, Codable {
    case microgramsPerCubicMetre = "µg/m³"
    case milligramsPerCubicMetre = "mg/m³"
    case partsPerBillion = "ppb"
    case partsPerMillion = "ppm"
    case degreesCelsius = "°C"
    case degreesFahrenheit = "°F"
    case kelvin = "K"
    case percent = "%"
    case metresPerSecond = "m/s"
    case kilometresPerHour = "km/h"
    case milesPerHour = "mph"
    case knots = "kn"
    case vehiclesPerHour = "vehicles/h"
    case grams = "g"
    case kilograms = "kg"
    case tonnes = "t"
    case wattHours = "Wh"
    case kilowattHours = "kWh"
    case megawattHours = "MWh"
    case litres = "L"
    case cubicMetres = "m³"
    case pascals = "Pa"
    case hectopascals = "hPa"
    case kilopascals = "kPa"
    case aqiIndex = "AQI"

    /// The symbol written in events.
    public var symbol: String { rawValue }

    /// Other accepted spellings (matched case-insensitively, ignoring spaces, with `µ`/`μ`/`u`,
    /// `³`/`3` and a leading `°` treated alike).
    public var aliases: [String] {
        switch self {
        case .microgramsPerCubicMetre: return ["ug/m3", "µg/m3", "μg/m3", "μg/m³", "ug/m³", "mcg/m3", "µg/nm3", "ug/nm3"]
        case .milligramsPerCubicMetre: return ["mg/m3", "mg/nm3"]
        case .partsPerBillion: return ["ppbv"]
        case .partsPerMillion: return ["ppmv"]
        case .degreesCelsius: return ["C", "degC", "celsius", "deg C"]
        case .degreesFahrenheit: return ["F", "degF", "fahrenheit", "deg F"]
        case .kelvin: return ["kelvin"]
        case .percent: return ["percent", "%RH", "pct"]
        case .metresPerSecond: return ["m s-1", "mps", "m/sec"]
        case .kilometresPerHour: return ["kph", "km/hr", "kmh", "km/h"]
        case .milesPerHour: return ["mi/h"]
        case .knots: return ["kt", "knot", "knots"]
        case .vehiclesPerHour: return ["veh/h", "vph", "vehicles/hour", "veh/hr"]
        case .grams: return ["gram", "grams"]
        case .kilograms: return ["kilogram", "kilograms", "kgs"]
        case .tonnes: return ["tonne", "tonnes", "ton", "tons"]
        case .wattHours: return ["watt-hour"]
        case .kilowattHours: return ["kW h", "kW·h"]
        case .megawattHours: return ["MW h", "MW·h"]
        case .litres: return ["l", "litre", "liter", "litres", "liters"]
        case .cubicMetres: return ["m3", "cubic metre", "cbm"]
        case .pascals: return []
        case .hectopascals: return ["mbar", "millibar"]
        case .kilopascals: return []
        case .aqiIndex: return ["index", "1"]
        }
    }

    /// The unit for a symbol or alias; `nil` when unknown.
    public init?(symbol: String) {
        // Most records spell a unit exactly as declared: one lookup, no normalised copy.
        if let unit = UnitSpelling.exact[symbol] {
            self = unit
            return
        }
        guard let unit = UnitSpelling.table[UnitSpelling.normalize(symbol)] else { return nil }
        self = unit
    }
}

/// The lookup table behind ``MeasurementUnit/init(symbol:)``.
enum UnitSpelling {
    static let table: [String: MeasurementUnit] = {
        var table: [String: MeasurementUnit] = [:]
        for unit in MeasurementUnit.allCases {
            for spelling in [unit.symbol] + unit.aliases {
                table[normalize(spelling)] = unit
            }
        }
        return table
    }()

    /// Every symbol and alias exactly as written above.
    static let exact: [String: MeasurementUnit] = {
        var exact: [String: MeasurementUnit] = [:]
        for unit in MeasurementUnit.allCases {
            for spelling in [unit.symbol] + unit.aliases where exact[spelling] == nil { exact[spelling] = unit }
        }
        return exact
    }()

    /// Lowercased, without spaces; micro sign, Greek mu and `mc` → `u`; `³` → `3`; `°` dropped;
    /// `·`, `_` dropped.
    static func normalize(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case " ", "\t", "°", "º", "·", "_", "\u{00A0}": continue
            case "µ", "μ": result.append("u")
            case "³": result.append("3")
            default: result.unicodeScalars.append(scalar)
            }
        }
        result = result.lowercased()
        if result.hasPrefix("mcg") { result = "ug" + result.dropFirst(3) }
        return result
    }
}
