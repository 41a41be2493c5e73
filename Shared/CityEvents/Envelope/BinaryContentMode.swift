/// The CloudEvents Kafka protocol binding, binary content mode: attributes in `ce_*` headers, the
/// JSON data as the Kafka value.
extension CloudEvent {
    /// The Kafka headers of this event, in a fixed order: `ce_specversion`, `ce_id`, `ce_source`,
    /// `ce_type`, `ce_time`, `ce_subject` (when set), `content-type`, `traceparent` (when set).
    /// The Kafka value is ``data``.
    public func kafkaHeaders() -> [EventHeader] {
        Self.kafkaHeaders(
            idBytes: UTF8Text.bytes(id), sourceBytes: UTF8Text.bytes(source), typeBytes: HeaderConstants.typeBytes(type), timeBytes: time.rfc3339Bytes,
            subjectBytes: subject.map(UTF8Text.bytes), dataContentType: dataContentType, traceparent: traceparent
        )
    }

    /// The headers of ``kafkaHeaders()`` from the attributes themselves, so that the typed encoder
    /// (``EventCodec/encode(_:)``) needs no intermediate envelope.
    @inline(__always)
    static func kafkaHeaders(
        idBytes: [UInt8], sourceBytes: [UInt8], typeBytes: [UInt8], timeBytes: [UInt8], subjectBytes: [UInt8]?,
        dataContentType: String, traceparent: String?
    ) -> [EventHeader] {
        // The names are the literals of `CloudEventHeaderName` (small strings: no allocation).
        let contentType = dataContentType == EventMediaType.json ? HeaderConstants.json : Array(dataContentType.utf8)
        if let subjectBytes, traceparent == nil {
            // The usual record, as one array literal: allocated once at its size, each header stored
            // in place (appending checks capacity and uniqueness each time).
            return [
                EventHeader(name: "ce_specversion", value: HeaderConstants.specVersion),
                EventHeader(name: "ce_id", value: idBytes),
                EventHeader(name: "ce_source", value: sourceBytes),
                EventHeader(name: "ce_type", value: typeBytes),
                EventHeader(name: "ce_time", value: timeBytes),
                EventHeader(name: "ce_subject", value: subjectBytes),
                EventHeader(name: "content-type", value: contentType),
            ]
        }
        // `reserveCapacity` + `append` are specialised for `EventHeader`; building the array with
        // `init(unsafeUninitializedCapacity:)` calls into the runtime for the array's metadata.
        var headers: [EventHeader] = []
        headers.reserveCapacity(6 + (subjectBytes == nil ? 0 : 1) + (traceparent == nil ? 0 : 1))
        headers.append(EventHeader(name: "ce_specversion", value: HeaderConstants.specVersion))
        headers.append(EventHeader(name: "ce_id", value: idBytes))
        headers.append(EventHeader(name: "ce_source", value: sourceBytes))
        headers.append(EventHeader(name: "ce_type", value: typeBytes))
        headers.append(EventHeader(name: "ce_time", value: timeBytes))
        if let subjectBytes {
            headers.append(EventHeader(name: "ce_subject", value: subjectBytes))
        }
        headers.append(EventHeader(name: "content-type", value: contentType))
        if let traceparent {
            headers.append(EventHeader(name: "traceparent", text: traceparent))
        }
        return headers
    }

    /// Reads an event from a Kafka record in binary content mode.
    ///
    /// Requires `ce_specversion` = `1.0`, non-empty `ce_id`, `ce_source`, `ce_type`, an RFC 3339
    /// `ce_time` with offset, and — when there is a value — a JSON `content-type`. Unknown headers are
    /// ignored. A `traceparent` (or `ce_traceparent`) that is not W3C-shaped is dropped, as W3C Trace
    /// Context prescribes, rather than failing the event. The value is not parsed here.
    public init(kafkaHeaders headers: [EventHeader], value: [UInt8]?) throws(EventDecodingError) {
        if let common = Self.commonBinary(headers, value: value) {
            self = common
            return
        }
        try self.init(checkingKafkaHeaders: headers, value: value)
    }

    /// The fast path of ``init(kafkaHeaders:value:)`` for the common, valid record: each known
    /// header at most once, valid UTF-8, a JSON `content-type`, a time in the common RFC 3339
    /// shape. `nil` for anything else; the full reader then decodes it or explains the error, so the
    /// result (and every error) is the same as without this path.
    private static func commonBinary(_ headers: [EventHeader], value: [UInt8]?) -> CloudEvent? {
        guard let common = CommonBinaryHeaders(headers, hasValue: value != nil),
            let id = headers[common.id].text, !id.isEmpty,
            let source = headers[common.source].text, !source.isEmpty,
            let type = KnownStrings.lookup(headers[common.type].value) ?? headers[common.type].text, !type.isEmpty,
            let time = headers[common.time].value.withUnsafeBufferPointer({ RFC3339.parseCommon($0) })
        else { return nil }
        var subject: String?
        if common.subject >= 0 {
            guard let text = headers[common.subject].text else { return nil }
            subject = text
        }
        var traceparent: String?
        if common.traceparent >= 0 {
            guard let text = headers[common.traceparent].text else { return nil }
            traceparent = TraceContext.validTraceparent(text)
        }
        return CloudEvent(
            id: id,
            source: source,
            type: type,
            time: time,
            subject: subject,
            dataContentType: EventMediaType.json,
            traceparent: traceparent,
            data: value
        )
    }

    /// The full reader behind ``init(kafkaHeaders:value:)``.
    private init(checkingKafkaHeaders headers: [EventHeader], value: [UInt8]?) throws(EventDecodingError) {
        var specVersion: String?
        var id: String?
        var source: String?
        var type: String?
        var timeText: String?
        var subject: String?
        var contentType: String?
        var traceparent: String?
        var parsedTime: Timestamp?
        var timeBytes: [UInt8]?

        for header in headers {
            let name = header.name
            let isKnown: Bool
            switch name {
            case CloudEventHeaderName.specVersion, CloudEventHeaderName.id, CloudEventHeaderName.source,
                CloudEventHeaderName.type, CloudEventHeaderName.time, CloudEventHeaderName.subject,
                CloudEventHeaderName.contentType, CloudEventHeaderName.traceparent,
                CloudEventHeaderName.prefixedTraceparent:
                isKnown = true
            default:
                isKnown = false
            }
            guard isKnown else { continue }
            // Fast paths for the constant-valued headers and the time: no String needed.
            if name == CloudEventHeaderName.specVersion, header.value == HeaderConstants.specVersion, specVersion == nil {
                specVersion = CloudEvent.specVersion
                continue
            }
            if name == CloudEventHeaderName.contentType, header.value == HeaderConstants.json, contentType == nil {
                contentType = EventMediaType.json
                continue
            }
            if name == CloudEventHeaderName.time, timeText == nil, parsedTime == nil,
                case .success(let value) = Timestamp.parse(utf8: header.value)
            {
                parsedTime = value
                timeBytes = header.value
                continue
            }
            if name == CloudEventHeaderName.time, let timeBytes, timeBytes == header.value { continue }
            if name == CloudEventHeaderName.type, type == nil, let known = KnownStrings.lookup(header.value) {
                type = known
                continue
            }
            guard let text = header.text else {
                throw .malformedHeader(name: name, reason: "value is not valid UTF-8")
            }
            func store(_ slot: inout String?) throws(EventDecodingError) {
                if let existing = slot, existing != text {
                    throw .malformedHeader(name: name, reason: "appears more than once with different values")
                }
                slot = text
            }
            switch name {
            case CloudEventHeaderName.specVersion: try store(&specVersion)
            case CloudEventHeaderName.id: try store(&id)
            case CloudEventHeaderName.source: try store(&source)
            case CloudEventHeaderName.type: try store(&type)
            case CloudEventHeaderName.time: try store(&timeText)
            case CloudEventHeaderName.subject: try store(&subject)
            case CloudEventHeaderName.contentType: try store(&contentType)
            default: try store(&traceparent)
            }
        }

        guard let specVersion else { throw .missingHeader(name: CloudEventHeaderName.specVersion) }
        guard specVersion == CloudEvent.specVersion else { throw .unsupportedSpecVersion(specVersion) }
        let requiredID = try Self.nonEmpty(id, header: CloudEventHeaderName.id)
        let requiredSource = try Self.nonEmpty(source, header: CloudEventHeaderName.source)
        let requiredType = try Self.nonEmpty(type, header: CloudEventHeaderName.type)
        let time: Timestamp
        if let parsedTime {
            guard timeText == nil else {
                throw .malformedHeader(name: CloudEventHeaderName.time, reason: "appears more than once with different values")
            }
            time = parsedTime
        } else {
            guard let timeText else { throw .missingHeader(name: CloudEventHeaderName.time) }
            switch Timestamp.parse(timeText) {
            case .success(let parsed): time = parsed
            case .failure(let error): throw .malformedHeader(name: CloudEventHeaderName.time, reason: error.description)
            }
        }
        if value != nil {
            guard let contentType else { throw .missingHeader(name: CloudEventHeaderName.contentType) }
            guard MediaTypeCheck.isJSON(contentType) else { throw .unsupportedContentType(contentType) }
        }
        self.init(
            id: requiredID,
            source: requiredSource,
            type: requiredType,
            time: time,
            subject: subject,
            dataContentType: contentType ?? EventMediaType.json,
            traceparent: traceparent.flatMap(TraceContext.validTraceparent),
            data: value
        )
    }

    private static func nonEmpty(_ text: String?, header: String) throws(EventDecodingError) -> String {
        guard let text else { throw .missingHeader(name: header) }
        guard !text.isEmpty else { throw .malformedHeader(name: header, reason: "value is empty") }
        return text
    }
}

/// Header values written for every event, shared instead of re-encoded.
enum HeaderConstants {
    static let specVersion: [UInt8] = Array(CloudEvent.specVersion.utf8)
    static let json: [UInt8] = Array(EventMediaType.json.utf8)
    /// The UTF-8 of each ``EventType``, shared by every header that carries it.
    private static let types: [(type: String, bytes: [UInt8])] = EventType.all.map { ($0, Array($0.utf8)) }

    /// The UTF-8 bytes of an event type; shared arrays for this module's types.
    @inline(__always)
    static func typeBytes(_ type: String) -> [UInt8] {
        for known in types where known.type == type { return known.bytes }
        return Array(type.utf8)
    }
}

/// Media type comparisons for the envelope.
enum MediaTypeCheck {
    /// Whether a media type (parameters allowed, case-insensitive) is `application/json` or a
    /// `+json` type other than the CloudEvents structured one.
    static func isJSON(_ mediaType: String) -> Bool {
        if mediaType == EventMediaType.json { return true }
        let essence = essence(of: mediaType)
        return essence == EventMediaType.json || (essence.hasSuffix("+json") && essence != EventMediaType.cloudEventsJSON)
    }

    /// The type/subtype without parameters, lowercased and trimmed.
    static func essence(of mediaType: String) -> String {
        let head = mediaType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return head.trimmingWhitespace().lowercased()
    }
}

/// W3C Trace Context helpers.
public enum TraceContext {
    /// The `traceparent` value when it has the W3C shape `vv-<32 hex>-<16 hex>-<2 hex>` with
    /// non-zero ids; otherwise `nil`.
    public static func validTraceparent(_ text: String) -> String? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 4,
            parts[0].count == 2, parts[1].count == 32, parts[2].count == 16, parts[3].count == 2,
            parts[0] != "ff",
            parts.allSatisfy({ $0.utf8.allSatisfy(isLowerHex) }),
            parts[1].contains(where: { $0 != "0" }),
            parts[2].contains(where: { $0 != "0" })
        else { return nil }
        return text
    }

    private static func isLowerHex(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x66)
    }
}

extension StringProtocol {
    /// The text without leading and trailing ASCII/Unicode whitespace.
    func trimmingWhitespace() -> String {
        var scalars = Substring(self).unicodeScalars[...]
        while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
        return String(String.UnicodeScalarView(scalars))
    }
}
