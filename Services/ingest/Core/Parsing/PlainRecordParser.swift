/// A JSON observation record of the plain shape almost every publisher sends — the five known
/// members, each of the expected JSON type, strings without escapes — read straight into its fields.
///
/// ``ObservationValidator`` tries this first: it builds no ``JSONNode`` tree (whose allocation and
/// release were a quarter of ingest's CPU). Anything else — an escape, an unknown or repeated member,
/// a wrong type, a number that is not finite, bad UTF-8, a syntax error — makes ``parse(_:)`` return
/// `nil`, and the record goes through ``StrictJSONParser`` and the general validation, which say
/// precisely what is wrong. So this parser decides nothing on its own: it only ever accepts records
/// the general path accepts, with the same values.
public struct PlainRecord: Equatable, Sendable {
    public var datasetId: String
    public var sourceId: String
    public var observedAt: String
    /// `nil` when absent or `null`.
    public var location: PlainLocation?
    public var measurements: [PlainMeasurement]
}

/// `location` of a ``PlainRecord``.
public struct PlainLocation: Equatable, Sendable {
    public var lat: Double
    public var lon: Double
    /// `nil` when absent or `null`.
    public var areaCode: String?
}

/// One member of `measurements` of a ``PlainRecord``.
public struct PlainMeasurement: Equatable, Sendable {
    public var quantity: String
    /// `nil` for `null` (a missing value).
    public var value: Double?
    /// `nil` when absent or `null` (the field's declared unit).
    public var unit: String?
}

/// Reads a ``PlainRecord`` or gives up (see ``PlainRecord``).
public struct PlainRecordParser {
    private let bytes: [UInt8]
    private var index = 0

    private init(bytes: [UInt8]) { self.bytes = bytes }

    /// The record, or `nil` when it is not of the plain shape.
    public static func parse(_ bytes: [UInt8]) -> PlainRecord? {
        var parser = PlainRecordParser(bytes: bytes)
        return parser.record()
    }

    private mutating func record() -> PlainRecord? {
        var datasetId: String?, sourceId: String?, observedAt: String?
        var location: PlainLocation?, measurements: [PlainMeasurement]?
        var seen: UInt8 = 0
        skipWhitespace()
        guard take(UInt8(ascii: "{")) else { return nil }
        repeat {
            guard let key = memberName() else { return nil }
            switch key {
            case "datasetId": guard mark(1, in: &seen), let text = string() else { return nil }; datasetId = text
            case "sourceId": guard mark(2, in: &seen), let text = string() else { return nil }; sourceId = text
            case "observedAt": guard mark(4, in: &seen), let text = string() else { return nil }; observedAt = text
            case "location":
                guard mark(8, in: &seen) else { return nil }
                if !takeNull() {
                    guard let parsed = plainLocation() else { return nil }
                    location = parsed
                }
            case "measurements": guard mark(16, in: &seen), let parsed = measurementList() else { return nil }; measurements = parsed
            default: return nil
            }
        } while takeComma()
        guard take(UInt8(ascii: "}")) else { return nil }
        skipWhitespace()
        guard index == bytes.count, let datasetId, let sourceId, let observedAt, let measurements else { return nil }
        return PlainRecord(datasetId: datasetId, sourceId: sourceId, observedAt: observedAt, location: location, measurements: measurements)
    }

    private mutating func plainLocation() -> PlainLocation? {
        var lat: Double?, lon: Double?, areaCode: String?
        var seen: UInt8 = 0
        guard take(UInt8(ascii: "{")) else { return nil }
        repeat {
            guard let key = memberName() else { return nil }
            switch key {
            case "lat": guard mark(1, in: &seen), let number = number() else { return nil }; lat = number
            case "lon": guard mark(2, in: &seen), let number = number() else { return nil }; lon = number
            case "areaCode":
                guard mark(4, in: &seen) else { return nil }
                if !takeNull() {
                    guard let text = string() else { return nil }
                    areaCode = text
                }
            default: return nil
            }
        } while takeComma()
        guard take(UInt8(ascii: "}")), let lat, let lon else { return nil }
        return PlainLocation(lat: lat, lon: lon, areaCode: areaCode)
    }

    private mutating func measurementList() -> [PlainMeasurement]? {
        guard take(UInt8(ascii: "[")) else { return nil }
        var list: [PlainMeasurement] = []
        if take(UInt8(ascii: "]")) { return list }
        repeat {
            guard let measurement = plainMeasurement() else { return nil }
            list.append(measurement)
        } while takeComma()
        guard take(UInt8(ascii: "]")) else { return nil }
        return list
    }

    private mutating func plainMeasurement() -> PlainMeasurement? {
        var quantity: String?, value: Double??, unit: String?
        var seen: UInt8 = 0
        guard take(UInt8(ascii: "{")) else { return nil }
        repeat {
            guard let key = memberName() else { return nil }
            switch key {
            case "quantity": guard mark(1, in: &seen), let text = string() else { return nil }; quantity = text
            case "value":
                guard mark(2, in: &seen) else { return nil }
                if takeNull() {
                    value = .some(nil)
                } else {
                    guard let number = number() else { return nil }
                    value = .some(number)
                }
            case "unit":
                guard mark(4, in: &seen) else { return nil }
                if !takeNull() {
                    guard let text = string() else { return nil }
                    unit = text
                }
            default: return nil
            }
        } while takeComma()
        guard take(UInt8(ascii: "}")), let quantity, let value else { return nil }
        return PlainMeasurement(quantity: quantity, value: value, unit: unit)
    }

    // MARK: Tokens

    /// Sets `bit` in `seen`; `false` when it was set already (a repeated member).
    private func mark(_ bit: UInt8, in seen: inout UInt8) -> Bool {
        guard seen & bit == 0 else { return false }
        seen |= bit
        return true
    }

    private mutating func skipWhitespace() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 { index += 1 }
    }

    /// Skips whitespace, then consumes `byte` if it comes next.
    private mutating func take(_ byte: UInt8) -> Bool {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    private mutating func takeComma() -> Bool { take(UInt8(ascii: ",")) }

    private mutating func takeNull() -> Bool {
        skipWhitespace()
        guard index + 4 <= bytes.count, bytes[index] == UInt8(ascii: "n"), bytes[index + 1] == UInt8(ascii: "u"),
            bytes[index + 2] == UInt8(ascii: "l"), bytes[index + 3] == UInt8(ascii: "l")
        else { return false }
        index += 4
        return true
    }

    /// A member name and its colon.
    private mutating func memberName() -> String? {
        guard let name = string(), take(UInt8(ascii: ":")) else { return nil }
        return name
    }

    /// A string without escapes or control characters, in valid UTF-8.
    private mutating func string() -> String? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = index
        var ascii = true
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = ascii ? String(decoding: bytes[start..<index], as: UTF8.self) : String(validating: bytes[start..<index], as: UTF8.self)
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
            if byte >= 0x80 { ascii = false }
            index += 1
        }
        return nil
    }

    /// A finite number in JSON's grammar, converted as ``StrictJSONParser`` converts it.
    private mutating func number() -> Double? {
        skipWhitespace()
        let start = index
        guard case .success(let end) = JSONNumberGrammar.end(of: bytes, from: start) else { return nil }
        index = end
        let value = JSONNumberGrammar.value(of: String(decoding: bytes[start..<end], as: UTF8.self))
        return value.isFinite ? value : nil
    }
}
