/// A JSON observation record of the plain shape almost every publisher sends — the five known
/// members, each of the expected JSON type, strings without escapes — read where it lies: strings
/// as byte ranges of the record, numbers as `Double`s. No `String` is made and nothing is allocated
/// (the measurement list is reused from record to record).
///
/// ``ObservationValidator`` tries this first: it builds no ``JSONNode`` tree (whose allocation and
/// release were a quarter of ingest's CPU). Anything else — an escape, an unknown or repeated member,
/// a wrong type, a number that is not finite, a syntax error — makes the parser give up, and the
/// record goes through ``StrictJSONParser`` and the general validation, which say precisely what is
/// wrong. So this parser decides nothing on its own: it only ever accepts records the general path
/// accepts, with the same values. (Strings are not checked for valid UTF-8 here: the validator
/// either matches their bytes against known, valid spellings or makes a validated `String` of them.)
public struct PlainRecord: Equatable, Sendable {
    public var datasetId: Range<Int> = 0..<0
    public var sourceId: Range<Int> = 0..<0
    public var observedAt: Range<Int> = 0..<0
    /// `nil` when absent or `null`.
    public var location: PlainLocation?
    public var measurements: [PlainMeasurement] = []

    public init() {}
}

/// `location` of a ``PlainRecord``.
public struct PlainLocation: Equatable, Sendable {
    public var lat: Double
    public var lon: Double
    /// `nil` when absent or `null`.
    public var areaCode: Range<Int>?
}

/// One member of `measurements` of a ``PlainRecord``.
public struct PlainMeasurement: Equatable, Sendable {
    public var quantity: Range<Int>
    /// `nil` for `null` (a missing value).
    public var value: Double?
    /// `nil` when absent or `null` (the field's declared unit).
    public var unit: Range<Int>?
}

/// Reads a ``PlainRecord`` or gives up (see ``PlainRecord``).
public struct PlainRecordParser {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    private init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// Reads `bytes` into `record` (its measurement list keeps its capacity); `false` when they are not
    /// a plain record (`record` then holds nothing meaningful).
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, into record: inout PlainRecord) -> Bool {
        var parser = PlainRecordParser(bytes: bytes)
        return parser.record(&record)
    }

    /// The record of `bytes`, or `nil` when it is not of the plain shape (tests, single records).
    public static func parse(_ bytes: [UInt8]) -> PlainRecord? {
        var record = PlainRecord()
        return bytes.withUnsafeBufferPointer { parse($0, into: &record) } ? record : nil
    }

    private mutating func record(_ record: inout PlainRecord) -> Bool {
        record.location = nil
        record.measurements.removeAll(keepingCapacity: true)
        var seen: UInt8 = 0
        skipWhitespace()
        guard take(UInt8(ascii: "{")) else { return false }
        repeat {
            guard let key = memberName() else { return false }
            if isKey(key, "datasetId") {
                guard mark(1, in: &seen), let text = string() else { return false }
                record.datasetId = text
            } else if isKey(key, "sourceId") {
                guard mark(2, in: &seen), let text = string() else { return false }
                record.sourceId = text
            } else if isKey(key, "observedAt") {
                guard mark(4, in: &seen), let text = string() else { return false }
                record.observedAt = text
            } else if isKey(key, "location") {
                guard mark(8, in: &seen), let parsed = nullable({ $0.plainLocation() }) else { return false }
                record.location = parsed
            } else if isKey(key, "measurements") {
                guard mark(16, in: &seen), measurementList(into: &record.measurements) else { return false }
            } else {
                return false
            }
        } while takeComma()
        guard take(UInt8(ascii: "}")) else { return false }
        skipWhitespace()
        // Every member but `location` is required.
        return index == bytes.count && seen | 8 == 31
    }

    private mutating func plainLocation() -> PlainLocation? {
        var lat: Double?, lon: Double?, areaCode: Range<Int>?
        var seen: UInt8 = 0
        guard take(UInt8(ascii: "{")) else { return nil }
        repeat {
            guard let key = memberName() else { return nil }
            if isKey(key, "lat") {
                guard mark(1, in: &seen), let number = number() else { return nil }
                lat = number
            } else if isKey(key, "lon") {
                guard mark(2, in: &seen), let number = number() else { return nil }
                lon = number
            } else if isKey(key, "areaCode") {
                guard mark(4, in: &seen), let text = nullable({ $0.string() }) else { return nil }
                areaCode = text
            } else {
                return nil
            }
        } while takeComma()
        guard take(UInt8(ascii: "}")), let lat, let lon else { return nil }
        return PlainLocation(lat: lat, lon: lon, areaCode: areaCode)
    }

    private mutating func measurementList(into list: inout [PlainMeasurement]) -> Bool {
        guard take(UInt8(ascii: "[")) else { return false }
        if take(UInt8(ascii: "]")) { return true }
        repeat {
            guard let measurement = plainMeasurement() else { return false }
            list.append(measurement)
        } while takeComma()
        return take(UInt8(ascii: "]"))
    }

    private mutating func plainMeasurement() -> PlainMeasurement? {
        var quantity: Range<Int>?, value: Double??, unit: Range<Int>?
        var seen: UInt8 = 0
        guard take(UInt8(ascii: "{")) else { return nil }
        repeat {
            guard let key = memberName() else { return nil }
            if isKey(key, "quantity") {
                guard mark(1, in: &seen), let text = string() else { return nil }
                quantity = text
            } else if isKey(key, "value") {
                guard mark(2, in: &seen), let number = nullable({ $0.number() }) else { return nil }
                value = .some(number)
            } else if isKey(key, "unit") {
                guard mark(4, in: &seen), let text = nullable({ $0.string() }) else { return nil }
                unit = text
            } else {
                return nil
            }
        } while takeComma()
        guard take(UInt8(ascii: "}")), let quantity, let value else { return nil }
        return PlainMeasurement(quantity: quantity, value: value, unit: unit)
    }

    // MARK: Tokens

    /// Sets `bit` in `seen`; `false` when it was set already (a repeated member).
    @inline(__always)
    private func mark(_ bit: UInt8, in seen: inout UInt8) -> Bool {
        guard seen & bit == 0 else { return false }
        seen |= bit
        return true
    }

    /// Whether the member name at `range` is `key` (ASCII).
    @inline(__always)
    private func isKey(_ range: Range<Int>, _ key: StaticString) -> Bool {
        guard range.count == key.utf8CodeUnitCount else { return false }
        let literal = key.utf8Start
        for offset in 0..<range.count where bytes[range.lowerBound + offset] != literal[offset] { return false }
        return true
    }

    @inline(__always)
    private mutating func skipWhitespace() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 { index += 1 }
    }

    /// Skips whitespace, then consumes `byte` if it comes next.
    @inline(__always)
    private mutating func take(_ byte: UInt8) -> Bool {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    private mutating func takeComma() -> Bool { take(UInt8(ascii: ",")) }

    /// `.some(nil)` for `null`, `.some(value)` for what `read` reads, `nil` when neither.
    @inline(__always)
    private mutating func nullable<Value>(_ read: (inout Self) -> Value?) -> Value?? {
        if takeNull() { return .some(nil) }
        guard let value = read(&self) else { return nil }
        return .some(value)
    }

    private mutating func takeNull() -> Bool {
        skipWhitespace()
        guard index + 4 <= bytes.count, bytes[index] == UInt8(ascii: "n"), bytes[index + 1] == UInt8(ascii: "u"),
            bytes[index + 2] == UInt8(ascii: "l"), bytes[index + 3] == UInt8(ascii: "l")
        else { return false }
        index += 4
        return true
    }

    /// A member name and its colon.
    private mutating func memberName() -> Range<Int>? {
        guard let name = string(), take(UInt8(ascii: ":")) else { return nil }
        return name
    }

    /// The bytes of a string without escapes or control characters, quotes excluded.
    private mutating func string() -> Range<Int>? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return start..<(index - 1)
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
            index += 1
        }
        return nil
    }

    /// A finite number in JSON's grammar, with the value ``StrictJSONParser`` gives it (see
    /// ``DecimalNumber``).
    private mutating func number() -> Double? {
        skipWhitespace()
        guard let (value, end) = DecimalNumber.read(bytes, from: index), value.isFinite else { return nil }
        index = end
        return value
    }
}
