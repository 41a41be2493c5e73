/// An ISO 8601 duration such as `PT1H`, `P1D`, `PT15M` or `P1W`, as a dataset's `updateFrequency`.
///
/// Years and months have no fixed length; they count as 365 and 30 days, which is what "is this
/// dataset late" needs. Fractions are accepted on the last component only (`PT1.5H`).
public struct ISODuration: Sendable, Hashable, CustomStringConvertible {
    /// The text as given.
    public let text: String
    /// The length in seconds.
    public let seconds: Double

    /// Parses `text`; `nil` when it is not an ISO 8601 duration or is zero.
    public init?(_ text: String) {
        var remaining = Substring(text)
        guard remaining.first == "P" else { return nil }
        remaining = remaining.dropFirst()
        if remaining.hasSuffix("W") {
            guard let weeks = Double(remaining.dropLast()), weeks > 0 else { return nil }
            self.text = text
            self.seconds = weeks * 7 * 86_400
            return
        }
        let dateUnits: [Character: Double] = ["Y": 365 * 86_400, "M": 30 * 86_400, "D": 86_400]
        let timeUnits: [Character: Double] = ["H": 3_600, "M": 60, "S": 1]
        let parts = remaining.split(separator: "T", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count <= 2, !(parts.count == 2 && parts[1].isEmpty) else { return nil }
        // Only the very last component may carry a fraction.
        if parts.count == 2, parts[0].contains(where: { $0 == "." || $0 == "," }) { return nil }
        guard let datePart = Self.sum(parts[0], units: dateUnits, order: "YMD") else { return nil }
        var total = datePart
        if parts.count == 2 {
            guard let timePart = Self.sum(parts[1], units: timeUnits, order: "HMS") else { return nil }
            total += timePart
        }
        guard total > 0, !(parts[0].isEmpty && parts.count == 1) else { return nil }
        self.text = text
        self.seconds = total
    }

    /// The length as a Swift `Duration`.
    public var duration: Duration { .milliseconds(Int64((seconds * 1000).rounded())) }

    public var description: String { text }

    /// Sums `<number><unit>` components whose units appear in `order`, each at most once, in order.
    private static func sum(_ text: Substring, units: [Character: Double], order: String) -> Double? {
        var total = 0.0
        var number = ""
        var allowed = Substring(order)
        var sawFraction = false
        for character in text {
            if character.isASCII, character.isNumber || character == "." || character == "," {
                guard !sawFraction else { return nil }  // only the last component may be fractional
                number.append(character == "," ? "." : character)
                continue
            }
            guard let index = allowed.firstIndex(of: character), let factor = units[character],
                !number.isEmpty, let value = Double(number)
            else { return nil }
            sawFraction = number.contains(".")
            total += value * factor
            allowed = allowed[allowed.index(after: index)...]
            number = ""
        }
        return number.isEmpty ? total : nil
    }
}
