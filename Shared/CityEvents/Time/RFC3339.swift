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
        [UInt8](unsafeUninitializedCapacity: maximumLength) { buffer, initialized in
            guard let start = buffer.baseAddress else {
                initialized = 0
                return
            }
            initialized = write(timestamp, into: start)
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
            put(UInt8(truncatingIfNeeded: 0x30 + value / 10))
            put(UInt8(truncatingIfNeeded: 0x30 + value % 10))
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
        twoDigits(seconds / 3600)
        put(0x3A)
        twoDigits(seconds / 60 % 60)
        put(0x3A)
        twoDigits(seconds % 60)
        if timestamp.nanoseconds > 0 {
            put(0x2E)
            var nanos = Int(timestamp.nanoseconds)
            var width = 9
            while nanos % 10 == 0 {
                nanos /= 10
                width -= 1
            }
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            while divisor > 0 {
                put(UInt8(truncatingIfNeeded: 0x30 + nanos / divisor % 10))
                divisor /= 10
            }
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
