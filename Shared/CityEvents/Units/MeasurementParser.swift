/// Parses measurement cells as publishers send them — `"6.4 km/h"`, `"61%"`, `"16.1°C"`,
/// `"  12 "` — into canonical measurements.
///
/// A cell without a unit takes the column's declared unit (the dataset field's `unit`), a cell with
/// one uses its own. Missing markers (`""`, `N/A`, `NA`, `n/a`, `-`, `null`, `—`) give `nil`: a
/// missing value, not an error.
public enum MeasurementParser {
    /// Cell texts that mean "no value" (compared case-insensitively after trimming).
    public static let missingMarkers: Set<String> = ["", "n/a", "na", "-", "—", "null", "none", "nil"]

    /// A canonical measurement from a cell, `nil` when the cell is a missing value.
    ///
    /// - Parameters:
    ///   - text: The cell text.
    ///   - quantity: The quantity id (or alias).
    ///   - declaredUnit: The unit of a bare number; `nil` means the canonical unit.
    public static func parse(_ text: String, quantity: String, declaredUnit: String?) throws(MeasurementError) -> ObservationMeasurement? {
        let spec = try QuantityRegistry.require(quantity)
        guard let (value, unitText) = try split(text) else { return nil }
        let unitSpelling = unitText ?? declaredUnit
        let unit = try unitSpelling.map { (spelling) throws(MeasurementError) in try spec.unit(spelling) } ?? spec.canonicalUnit
        return try spec.canonicalMeasurement(value, unit: unit)
    }

    /// A canonical measurement from a number and a unit spelling (JSON input).
    public static func measurement(_ value: Double, quantity: String, unit: String) throws(MeasurementError) -> ObservationMeasurement {
        let spec = try QuantityRegistry.require(quantity)
        return try spec.canonicalMeasurement(value, unit: try spec.unit(unit))
    }

    /// Splits a cell into its number and its unit text (`nil` when absent); `nil` for a missing value.
    public static func split(_ text: String) throws(MeasurementError) -> (value: Double, unit: String?)? {
        let trimmed = text.trimmingWhitespace()
        guard !missingMarkers.contains(trimmed.lowercased()) else { return nil }
        let scalars = Array(trimmed.unicodeScalars)
        var index = 0
        var numberText = ""
        if index < scalars.count, scalars[index] == "-" || scalars[index] == "+" || scalars[index] == "\u{2212}" {
            numberText.append(scalars[index] == "+" ? "+" : "-")
            index += 1
        }
        var digitCount = 0
        while index < scalars.count, scalars[index].properties.numericType != nil, scalars[index].isASCII {
            numberText.unicodeScalars.append(scalars[index])
            index += 1
            digitCount += 1
        }
        if index < scalars.count, scalars[index] == "." {
            numberText.append(".")
            index += 1
            while index < scalars.count, scalars[index].isASCII, scalars[index].properties.numericType != nil {
                numberText.unicodeScalars.append(scalars[index])
                index += 1
                digitCount += 1
            }
        }
        guard digitCount > 0 else {
            let word = trimmed.lowercased().trimmingCharactersOfSign()
            if word == "nan" || word == "inf" || word == "infinity" { throw .notFinite(text) }
            throw .notANumber(text)
        }
        // Exponent, only when digits follow (so that a unit is never eaten).
        if index < scalars.count, scalars[index] == "e" || scalars[index] == "E" {
            var lookahead = index + 1
            var exponent = "e"
            if lookahead < scalars.count, scalars[lookahead] == "-" || scalars[lookahead] == "+" {
                exponent.unicodeScalars.append(scalars[lookahead])
                lookahead += 1
            }
            var exponentDigits = 0
            while lookahead < scalars.count, scalars[lookahead].isASCII, scalars[lookahead].properties.numericType != nil {
                exponent.unicodeScalars.append(scalars[lookahead])
                lookahead += 1
                exponentDigits += 1
            }
            if exponentDigits > 0 {
                numberText += exponent
                index = lookahead
            }
        }
        guard let value = Double(numberText) else { throw .notANumber(text) }
        guard value.isFinite else { throw .notFinite(text) }
        let rest = String(String.UnicodeScalarView(scalars[index...])).trimmingWhitespace()
        if let first = rest.unicodeScalars.first, first == "," || first == "." || first.properties.numericType != nil {
            throw .notANumber(text)
        }
        return (value, rest.isEmpty ? nil : rest)
    }
}

extension String {
    fileprivate func trimmingCharactersOfSign() -> String {
        var text = Substring(self)
        if let first = text.first, first == "-" || first == "+" { text = text.dropFirst() }
        return String(text)
    }
}
