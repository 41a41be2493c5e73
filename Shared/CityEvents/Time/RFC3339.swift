/// Byte-level RFC 3339 parser and formatter behind ``Timestamp``.
enum RFC3339 {
    /// Why parsing failed (becomes ``TimestampFormatError/reason``).
    struct Failure: Error {
        var reason: String
        init(_ reason: String) { self.reason = reason }
    }

    static func parse(_ text: String) -> Result<Timestamp, TimestampFormatError> {
        var copy = text
        return copy.withUTF8 { bytes in
            parseBytes(bytes).mapError { TimestampFormatError(text: text, reason: $0.reason) }
        }
    }

    /// Parses `YYYY-MM-DD(T|t| )HH:MM:SS[.f+](Z|z|±HH:MM)`.
    static func parseBytes(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<Timestamp, Failure> {
        if let common = parseCommon(bytes) { return .success(common) }
        return parseGeneral(bytes)
    }

    /// The common, valid shape — `YYYY-MM-DD(T|t| )HH:MM:SS[.f{1,9}](Z|z|±HH:MM)` — parsed at fixed
    /// offsets without intermediate results; `nil` for anything else (more than nine fraction
    /// digits, out-of-range fields, malformed text), which ``parseGeneral(_:)`` then accepts or
    /// explains. Gives exactly the timestamp ``parseGeneral(_:)`` gives for the same text.
    @inline(__always)
    static func parseCommon(_ bytes: UnsafeBufferPointer<UInt8>) -> Timestamp? {
        let count = bytes.count
        guard count >= 20, let p = bytes.baseAddress else { return nil }
        var bad: UInt8 = 0
        @inline(__always) func digit(_ index: Int) -> Int {
            let value = p[index] &- 0x30
            bad |= value > 9 ? 1 : 0
            return Int(value)
        }
        // Wrapping arithmetic: every operand is a single digit, so nothing can overflow.
        let year = digit(0) &* 1000 &+ digit(1) &* 100 &+ digit(2) &* 10 &+ digit(3)
        let month = digit(5) &* 10 &+ digit(6)
        let day = digit(8) &* 10 &+ digit(9)
        let hour = digit(11) &* 10 &+ digit(12)
        let minute = digit(14) &* 10 &+ digit(15)
        let second = digit(17) &* 10 &+ digit(18)
        let separator = p[10]
        guard bad == 0, p[4] == 0x2D, p[7] == 0x2D, p[13] == 0x3A, p[16] == 0x3A,
            separator == 0x54 || separator == 0x74 || separator == 0x20,
            month >= 1, month <= 12, day >= 1, day <= CivilCalendar.daysInMonth(year: year, month: month),
            hour <= 23, minute <= 59, second <= 60
        else { return nil }
        var index = 19
        var nanoseconds = 0
        if p[index] == 0x2E {
            index += 1
            let fractionStart = index
            let limit = min(count, fractionStart + 10)  // a tenth digit is refused below
            while index < limit {
                let value = p[index] &- 0x30
                if value > 9 { break }
                nanoseconds = nanoseconds &* 10 &+ Int(value)  // at most ten digits: no overflow
                index += 1
            }
            let fractionDigits = index - fractionStart
            guard fractionDigits >= 1, fractionDigits <= 9 else { return nil }
            nanoseconds &*= Self.nanosecondScale(fractionDigits: fractionDigits)
        }
        guard index < count else { return nil }
        var offsetMinutes = 0
        let sign = p[index]
        if sign == 0x5A || sign == 0x7A {
            guard index + 1 == count else { return nil }
        } else {
            guard sign == 0x2B || sign == 0x2D, index + 6 == count, p[index + 3] == 0x3A else { return nil }
            let offsetHours = digit(index + 1) &* 10 &+ digit(index + 2)
            let offsetMins = digit(index + 4) &* 10 &+ digit(index + 5)
            guard bad == 0, offsetHours <= 23, offsetMins <= 59 else { return nil }
            offsetMinutes = (offsetHours * 60 + offsetMins) * (sign == 0x2D ? -1 : 1)
        }
        let days = CivilCalendar.daysSinceEpoch(year: year, month: month, day: day)
        let localSeconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        return Timestamp(
            secondsSinceEpoch: localSeconds - Int64(offsetMinutes) * 60,
            nanoseconds: Int32(nanoseconds),
            utcOffsetMinutes: Int16(offsetMinutes)
        )
    }

    /// 10^(9 − fractionDigits), for 1 ≤ fractionDigits ≤ 9: what a fraction of that many digits is
    /// multiplied by to give nanoseconds.
    @inline(__always)
    private static func nanosecondScale(fractionDigits: Int) -> Int {
        switch fractionDigits {
        case 1: 100_000_000
        case 2: 10_000_000
        case 3: 1_000_000
        case 4: 100_000
        case 5: 10_000
        case 6: 1_000
        case 7: 100
        case 8: 10
        default: 1
        }
    }

    /// The general parser behind ``parseBytes(_:)``, with a precise reason for every failure.
    static func parseGeneral(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<Timestamp, Failure> {
        var index = 0
        func digits(_ count: Int, _ what: String) -> Result<Int, Failure> {
            guard index + count <= bytes.count else { return .failure(Failure("text ends before the \(what)")) }
            var value = 0
            for offset in 0..<count {
                let byte = bytes[index + offset]
                guard byte >= 0x30, byte <= 0x39 else { return .failure(Failure("the \(what) must be \(count) digits")) }
                value = value * 10 + Int(byte - 0x30)
            }
            index += count
            return .success(value)
        }
        func expect(_ byte: UInt8, _ what: String) -> Failure? {
            guard index < bytes.count, bytes[index] == byte else { return Failure("expected \(what)") }
            index += 1
            return nil
        }
        let year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int
        switch digits(4, "year") { case .success(let v): year = v; case .failure(let e): return .failure(e) }
        if let error = expect(0x2D, "'-' after the year") { return .failure(error) }
        switch digits(2, "month") { case .success(let v): month = v; case .failure(let e): return .failure(e) }
        if let error = expect(0x2D, "'-' after the month") { return .failure(error) }
        switch digits(2, "day") { case .success(let v): day = v; case .failure(let e): return .failure(e) }
        guard index < bytes.count else { return .failure(Failure("a time of day is missing")) }
        guard bytes[index] == 0x54 || bytes[index] == 0x74 || bytes[index] == 0x20 else {
            return .failure(Failure("expected 'T' between date and time"))
        }
        index += 1
        switch digits(2, "hour") { case .success(let v): hour = v; case .failure(let e): return .failure(e) }
        if let error = expect(0x3A, "':' after the hour") { return .failure(error) }
        switch digits(2, "minute") { case .success(let v): minute = v; case .failure(let e): return .failure(e) }
        if let error = expect(0x3A, "':' after the minute (seconds are required)") { return .failure(error) }
        switch digits(2, "second") { case .success(let v): second = v; case .failure(let e): return .failure(e) }
        guard (1...12).contains(month) else { return .failure(Failure("month \(month) is out of range")) }
        guard (1...CivilCalendar.daysInMonth(year: year, month: month)).contains(day) else {
            return .failure(Failure("day \(day) does not exist in month \(month) of \(year)"))
        }
        guard hour <= 23, minute <= 59, second <= 60 else { return .failure(Failure("time of day is out of range")) }

        var nanoseconds = 0
        if index < bytes.count, bytes[index] == 0x2E {
            index += 1
            var count = 0
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                if count < 9 { nanoseconds = nanoseconds * 10 + Int(bytes[index] - 0x30) }
                count += 1
                index += 1
            }
            guard count > 0 else { return .failure(Failure("'.' must be followed by fraction digits")) }
            var scale = count
            while scale < 9 { nanoseconds *= 10; scale += 1 }
        }

        guard index < bytes.count else { return .failure(Failure("the UTC offset (Z or ±hh:mm) is missing")) }
        var offsetMinutes = 0
        switch bytes[index] {
        case 0x5A, 0x7A:
            index += 1
        case 0x2B, 0x2D:
            let negative = bytes[index] == 0x2D
            index += 1
            let offsetHours: Int, offsetMins: Int
            switch digits(2, "offset hours") { case .success(let v): offsetHours = v; case .failure(let e): return .failure(e) }
            if let error = expect(0x3A, "':' in the UTC offset") { return .failure(error) }
            switch digits(2, "offset minutes") { case .success(let v): offsetMins = v; case .failure(let e): return .failure(e) }
            guard offsetHours <= 23, offsetMins <= 59 else { return .failure(Failure("UTC offset is out of range")) }
            offsetMinutes = (offsetHours * 60 + offsetMins) * (negative ? -1 : 1)
        default:
            return .failure(Failure("the UTC offset (Z or ±hh:mm) is missing"))
        }
        guard index == bytes.count else { return .failure(Failure("unexpected text after the UTC offset")) }

        let days = CivilCalendar.daysSinceEpoch(year: year, month: month, day: day)
        // A leap second (:60) is folded into the next second; the instant stays well defined.
        let localSeconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        return .success(
            Timestamp(
                secondsSinceEpoch: localSeconds - Int64(offsetMinutes) * 60,
                nanoseconds: Int32(nanoseconds),
                utcOffsetMinutes: Int16(offsetMinutes)
            )
        )
    }

    /// The longest text ``write(_:into:)`` produces (years beyond 9999 included).
    static let maximumLength = 48

    static func format(_ timestamp: Timestamp) -> String {
        String(decoding: bytes(timestamp), as: UTF8.self)
    }

    /// The RFC 3339 text as UTF-8 bytes.
    static func bytes(_ timestamp: Timestamp) -> [UInt8] {
        // See `JSONWriter.write`: a stack buffer and one copy beat `init(unsafeUninitializedCapacity:)`.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maximumLength) { buffer in
            let count = write(timestamp, into: buffer.baseAddress!)
            return Array(UnsafeBufferPointer(start: buffer.baseAddress!, count: count))
        }
    }

    /// Writes the RFC 3339 text of `timestamp` at `target` (room for ``maximumLength`` bytes) and
    /// returns the number of bytes written.
    static func write(_ timestamp: Timestamp, into target: UnsafeMutablePointer<UInt8>) -> Int {
        let offset = Int64(timestamp.utcOffsetMinutes)
        let local = timestamp.secondsSinceEpoch + offset * 60
        var days = local / 86_400
        var secondOfDay = local % 86_400
        if secondOfDay < 0 {
            secondOfDay += 86_400
            days -= 1
        }
        let date = CivilCalendar.civilDate(daysSinceEpoch: Int(days))
        var position = 0
        @inline(__always) func put(_ byte: UInt8) {
            target[position] = byte
            position += 1
        }
        @inline(__always) func twoDigits(_ value: Int) {
            guard value >= 0, value <= 99 else {  // only an out-of-range offset set field by field
                put(UInt8(truncatingIfNeeded: 0x30 + value / 10))
                put(UInt8(truncatingIfNeeded: 0x30 + value % 10))
                return
            }
            DecimalDigits.writePair(value, to: target + position)
            position += 2
        }
        if date.year >= 0 && date.year <= 9999 {
            twoDigits(date.year / 100)
            twoDigits(date.year % 100)
        } else {
            // Outside RFC 3339's range; written with its sign so that it is at least not misleading.
            if date.year < 0 { put(0x2D) }
            for digit in String(abs(date.year)).utf8 { put(digit) }
        }
        put(0x2D)
        twoDigits(date.month)
        put(0x2D)
        twoDigits(date.day)
        put(0x54)
        let seconds = Int(secondOfDay)
        let minutes = seconds / 60
        twoDigits(minutes / 60)
        put(0x3A)
        twoDigits(minutes - minutes / 60 * 60)
        put(0x3A)
        twoDigits(seconds - minutes * 60)
        if timestamp.nanoseconds > 0 {
            put(0x2E)
            // All nine digits right to left, two at a time, then the trailing zeros dropped.
            _ = DecimalDigits.writeDigits(UInt64(timestamp.nanoseconds), count: 9, endingAt: target + position + 9)
            var width = 9
            while target[position + width - 1] == 0x30 { width -= 1 }
            position += width
        }
        if offset == 0 {
            put(0x5A)
        } else {
            put(offset < 0 ? 0x2D : 0x2B)
            twoDigits(Int(abs(offset) / 60))
            put(0x3A)
            twoDigits(Int(abs(offset) % 60))
        }
        return position
    }
}
