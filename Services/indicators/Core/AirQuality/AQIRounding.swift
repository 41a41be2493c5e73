import Foundation

/// Rounding and truncation as the air-quality methods prescribe them.
public enum AQIRounding {
    /// Guards against binary representation error (e.g. 161.49999999999997 for an exact 161.5).
    static let epsilon = 1e-9

    /// Rounds half up to an integer (59.5 → 60, 59.35 → 59), as Decision 1459 and the EPA require.
    public static func halfUp(_ value: Double) -> Int {
        Int((value + 0.5 + epsilon).rounded(.down))
    }

    /// Rounds half up to `decimals` decimals (e.g. a mean to 0.1 µg/m³).
    public static func halfUp(_ value: Double, decimals: Int) -> Double {
        let scale = pow(10.0, Double(decimals))
        return (value * scale + 0.5 + epsilon).rounded(.down) / scale
    }

    /// Truncates a non-negative value to `decimals` decimals (EPA: PM2.5 to 0.1 µg/m³, O3 to 0.001 ppm).
    /// The result is `units / 10^decimals`, so it equals the decimal literal exactly (35.4, not
    /// 35.400000000000006) and compares correctly with breakpoints.
    public static func truncate(_ value: Double, decimals: Int) -> Double {
        let scale = pow(10.0, Double(decimals))
        let units = (value * scale + 1e-6).rounded(.down)
        return units / scale
    }
}
