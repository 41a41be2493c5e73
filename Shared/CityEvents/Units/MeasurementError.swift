/// Why a measurement value could not be accepted. ``description`` says what was wrong and what
/// would be accepted, in one line (it goes into ingest's `errors[].reason`).
public enum MeasurementError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The quantity id is not in the ``QuantityRegistry``.
    case unknownQuantity(String)
    /// The unit is unknown, or cannot be converted to this quantity's canonical unit.
    case unitNotConvertible(unit: String, quantity: String, accepted: [String])
    /// The text is not a number (with an optional unit).
    case notANumber(String)
    /// The number is NaN or infinite.
    case notFinite(String)
    /// The value, in the canonical unit, is outside the quantity's plausible physical range.
    case outOfRange(quantity: String, value: Double, unit: String, range: ClosedRange<Double>)

    public var description: String {
        switch self {
        case .unknownQuantity(let quantity):
            return SingleLine.make("unknown quantity '\(quantity)' (known: \(QuantityRegistry.all.map(\.id).joined(separator: ", ")))")
        case .unitNotConvertible(let unit, let quantity, let accepted):
            return SingleLine.make("unit '\(unit)' cannot be used for \(quantity) (accepted: \(accepted.joined(separator: ", ")))")
        case .notANumber(let text):
            return SingleLine.make("'\(text.prefix(40))' is not a number (use a dot for decimals, e.g. 16.1 or 16.1°C)")
        case .notFinite(let text):
            return SingleLine.make("'\(text.prefix(40))' is not a finite number")
        case .outOfRange(let quantity, let value, let unit, let range):
            return "\(quantity) value \(value) \(unit) is outside the plausible range \(range.lowerBound)…\(range.upperBound) \(unit)"
        }
    }
}
