/// A measurable quantity of the platform (e.g. `pm25`): its canonical unit, the physically
/// plausible range of canonical values, and the input units ingest accepts with their conversions.
public struct Quantity: Sendable, Hashable {
    /// The id used in events and dataset fields, e.g. `pm25`.
    public let id: String
    /// English name.
    public let name: String
    /// The unit every event on `city.observations.v1` uses for this quantity.
    public let canonicalUnit: MeasurementUnit
    /// Canonical values outside this range are refused as implausible.
    public let plausibleRange: ClosedRange<Double>
    /// Accepted input units and how each converts to ``canonicalUnit`` (canonical included).
    public let conversions: [MeasurementUnit: UnitConversion]

    /// Creates a quantity; the canonical unit is always accepted.
    public init(
        id: String, name: String, canonicalUnit: MeasurementUnit, plausibleRange: ClosedRange<Double>,
        conversions: [MeasurementUnit: UnitConversion] = [:]
    ) {
        self.id = id
        self.name = name
        self.canonicalUnit = canonicalUnit
        self.plausibleRange = plausibleRange
        var all = conversions
        all[canonicalUnit] = .identity
        self.conversions = all
    }

    /// The accepted input units, canonical first, then in declaration order of ``MeasurementUnit``.
    public var acceptedUnits: [MeasurementUnit] {
        [canonicalUnit] + MeasurementUnit.allCases.filter { $0 != canonicalUnit && conversions[$0] != nil }
    }

    /// The unit for a spelling, if it is accepted for this quantity.
    public func unit(_ spelling: String) throws(MeasurementError) -> MeasurementUnit {
        guard let unit = MeasurementUnit(symbol: spelling), conversions[unit] != nil else {
            throw .unitNotConvertible(unit: spelling, quantity: id, accepted: acceptedUnits.map(\.symbol))
        }
        return unit
    }

    /// A value in `unit` expressed in the canonical unit (no range check).
    public func toCanonical(_ value: Double, from unit: MeasurementUnit) throws(MeasurementError) -> Double {
        guard let conversion = conversions[unit] else {
            throw .unitNotConvertible(unit: unit.symbol, quantity: id, accepted: acceptedUnits.map(\.symbol))
        }
        return conversion.toCanonical(value)
    }

    /// A value converted between two accepted units (e.g. m/s → km/h).
    public func convert(_ value: Double, from source: MeasurementUnit, to target: MeasurementUnit) throws(MeasurementError) -> Double {
        guard source != target else { return value }
        let canonical = try toCanonical(value, from: source)
        guard let back = conversions[target] else {
            throw .unitNotConvertible(unit: target.symbol, quantity: id, accepted: acceptedUnits.map(\.symbol))
        }
        return back.fromCanonical(canonical)
    }

    /// A value in `unit` converted to canonical and checked: finite and plausible.
    public func canonicalMeasurement(_ value: Double, unit: MeasurementUnit) throws(MeasurementError) -> ObservationMeasurement {
        guard value.isFinite else { throw .notFinite(String(value)) }
        let canonical = try toCanonical(value, from: unit)
        guard canonical.isFinite else { throw .notFinite(String(value)) }
        guard plausibleRange.contains(canonical) else {
            throw .outOfRange(quantity: id, value: canonical, unit: canonicalUnit.symbol, range: plausibleRange)
        }
        return ObservationMeasurement(quantity: id, value: canonical, unit: canonicalUnit.symbol)
    }
}
