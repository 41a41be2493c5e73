/// The 12-hour NowCast of PM concentrations, as Decision 1459/QĐ-TCMT and EPA define it for PM:
///
/// - `c1 … c12` are the hourly means, `c1` the current hour; a missing hour is `nil` and has no weight;
/// - at least 2 of `c1, c2, c3` must exist, otherwise there is no value;
/// - `w* = c_min / c_max` over the available hours; `w = w*` if `w* > ½`, else `½`;
/// - `NowCast = Σ w^(i−1)·c_i / Σ w^(i−1)` over the available hours.
public enum NowCast {
    /// The number of hours the NowCast reads.
    public static let hours = 12
    /// The minimum weight.
    public static let minimumWeight = 0.5

    /// The NowCast of `hourlyMeans` (index 0 = current hour; at most 12 are read), or `nil` when fewer
    /// than 2 of the 3 latest hours exist. Negative or non-finite means count as missing.
    public static func compute(_ hourlyMeans: [Double?]) -> NowCastResult? {
        let window = Array(hourlyMeans.prefix(hours)).map { value -> Double? in
            guard let value, value.isFinite, value >= 0 else { return nil }
            return value
        }
        let recentPresent = window.prefix(3).compactMap { $0 }.count
        guard recentPresent >= 2 else { return nil }
        let present = window.compactMap { $0 }
        let maximum = present.max()!
        let minimum = present.min()!
        let ratio = maximum > 0 ? minimum / maximum : 1
        let weight = ratio > minimumWeight ? ratio : minimumWeight
        var numerator = 0.0
        var denominator = 0.0
        var factor = 1.0
        for value in window {
            if let value {
                numerator += factor * value
                denominator += factor
            }
            factor *= weight
        }
        return NowCastResult(
            concentration: numerator / denominator, weight: weight, hoursUsed: present.count,
            currentHourPresent: window.first.map { $0 != nil } ?? false)
    }
}

/// A NowCast and how it was obtained.
public struct NowCastResult: Sendable, Hashable {
    /// The weighted concentration.
    public var concentration: Double
    /// The weight `w` used.
    public var weight: Double
    /// How many of the 12 hours were available.
    public var hoursUsed: Int
    /// Whether the current hour `c1` was available.
    public var currentHourPresent: Bool
}
