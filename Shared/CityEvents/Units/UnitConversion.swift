import Foundation

/// How a value in some unit becomes the value in a quantity's canonical unit, and back.
///
/// Results are computed in binary floating point and then rounded to 12 significant digits, which
/// removes representation noise (0.1 mg/m³ → exactly 100 µg/m³, not 100.00000000000001) far below any
/// instrument's precision. The identity conversion returns the value untouched.
public enum UnitConversion: Sendable, Hashable {
    /// Already canonical.
    case identity
    /// canonical = value × factor.
    case multiply(Double)
    /// canonical = value ÷ divisor.
    case divide(Double)
    /// °F → °C: (value − 32) × 5 ⁄ 9.
    case fahrenheitToCelsius
    /// K → °C: value − 273.15.
    case kelvinToCelsius
    /// Gas mixing ratio → mass concentration at 25 °C and 1 atm:
    /// µg/m³ = value × `partsPerBillion` × M ⁄ 24.45 (`partsPerBillion` is 1 for ppb, 1000 for ppm).
    case mixingRatioToMass(molarMass: Double, partsPerBillion: Double)

    /// Molar volume of an ideal gas at 25 °C and 1 atm, litres per mole.
    public static let molarVolumeLitres = 24.45

    /// The value in the canonical unit.
    public func toCanonical(_ value: Double) -> Double {
        switch self {
        case .identity: return value
        case .multiply(let factor): return Self.clean(value * factor)
        case .divide(let divisor): return Self.clean(value / divisor)
        case .fahrenheitToCelsius: return Self.clean((value - 32) * 5 / 9)
        case .kelvinToCelsius: return Self.clean(value - 273.15)
        case .mixingRatioToMass(let molarMass, let ppb):
            return Self.clean(value * ppb * molarMass / Self.molarVolumeLitres)
        }
    }

    /// The canonical value expressed in this conversion's unit (the inverse).
    public func fromCanonical(_ value: Double) -> Double {
        switch self {
        case .identity: return value
        case .multiply(let factor): return Self.clean(value / factor)
        case .divide(let divisor): return Self.clean(value * divisor)
        case .fahrenheitToCelsius: return Self.clean(value * 9 / 5 + 32)
        case .kelvinToCelsius: return Self.clean(value + 273.15)
        case .mixingRatioToMass(let molarMass, let ppb):
            return Self.clean(value * Self.molarVolumeLitres / (molarMass * ppb))
        }
    }

    /// Rounds to 12 significant digits.
    static func clean(_ value: Double) -> Double {
        guard value.isFinite, value != 0 else { return value }
        return Double(String(format: "%.12g", value)) ?? value
    }
}
