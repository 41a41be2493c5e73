import Foundation

/// The CloudEvents JSON event format (structured content mode, `application/cloudevents+json`): the
/// whole event as one JSON object with the data inline. Used for webhook bodies.
extension CloudEvent {
    /// The event as one JSON object with sorted keys; `data` is embedded verbatim as a JSON value
    /// (it must be JSON, as every CityData event's data is).
    public func structuredJSON() -> [UInt8] {
        var bound = 160 + (data?.count ?? 0) + JSONWriter.timestampBound
        for text in [dataContentType, id, source, type, subject ?? "", traceparent ?? ""] {
            bound += JSONWriter.stringBound(text)
        }
        return JSONWriter.write(maximumBytes: bound) { writer in
            writer.raw(0x7B)
            if let data {
                writer.key("data")
                writer.raw(data)
                writer.raw(0x2C)
            }
            writer.key("datacontenttype")
            writer.string(dataContentType)
            writer.raw(0x2C)
            writer.key("id")
            writer.string(id)
            writer.raw(0x2C)
            writer.key("source")
            writer.string(source)
            writer.raw(0x2C)
            writer.key("specversion")
            writer.string(CloudEvent.specVersion)
            if let subject {
                writer.raw(0x2C)
                writer.key("subject")
                writer.string(subject)
            }
            writer.raw(0x2C)
            writer.key("time")
            writer.timestamp(time)
            if let traceparent {
                writer.raw(0x2C)
                writer.key("traceparent")
                writer.string(traceparent)
            }
            writer.raw(0x2C)
            writer.key("type")
            writer.string(type)
            writer.raw(0x7D)
        }
    }

    /// Reads an event in the CloudEvents JSON format. `data` must be a JSON value (or `data_base64`
    /// holding JSON bytes); unknown extension attributes are ignored; `datacontenttype` defaults to
    /// `application/json` as the JSON format specifies.
    public init(structuredJSON json: [UInt8]) throws(EventDecodingError) {
        let parsed: Result<StructuredFields, EventDecodingError> = json.withUnsafeBufferPointer { buffer in
            StructuredFields.parse(buffer)
        }
        let fields: StructuredFields
        switch parsed {
        case .success(let value): fields = value
        case .failure(let error): throw error
        }
        func required(_ name: String) throws(EventDecodingError) -> String {
            guard let value = fields.attributes[name] else { throw .missingAttribute(name: name) }
            guard !value.isEmpty else { throw .malformedAttribute(name: name, reason: "value is empty") }
            return value
        }
        let specVersion = try required("specversion")
        guard specVersion == CloudEvent.specVersion else { throw .unsupportedSpecVersion(specVersion) }
        let id = try required("id")
        let source = try required("source")
        let type = try required("type")
        let timeText = try required("time")
        let time: Timestamp
        switch Timestamp.parse(timeText) {
        case .success(let value): time = value
        case .failure(let error): throw .malformedAttribute(name: "time", reason: error.description)
        }
        let contentType = fields.attributes["datacontenttype"] ?? EventMediaType.json
        var data: [UInt8]?
        if let range = fields.dataRange {
            data = Array(json[range])
        } else if let base64 = fields.attributes["data_base64"] {
            guard let decoded = Data(base64Encoded: base64) else {
                throw .malformedAttribute(name: "data_base64", reason: "not valid base64")
            }
            data = Array(decoded)
        }
        if data != nil, !MediaTypeCheck.isJSON(contentType) {
            throw .unsupportedContentType(contentType)
        }
        self.init(
            id: id,
            source: source,
            type: type,
            time: time,
            subject: fields.attributes["subject"],
            dataContentType: contentType,
            traceparent: fields.attributes["traceparent"].flatMap(TraceContext.validTraceparent),
            data: data
        )
    }
}

/// The top-level members of a structured-mode event: string attributes and the byte range of `data`.
private struct StructuredFields {
    var attributes: [String: String] = [:]
    var dataRange: Range<Int>?

    static let stringAttributes: Set<String> = [
        "specversion", "id", "source", "type", "time", "subject", "datacontenttype", "traceparent",
        "data_base64", "dataschema",
    ]

    static func parse(_ buffer: UnsafeBufferPointer<UInt8>) -> Result<StructuredFields, EventDecodingError> {
        var scanner = JSONScanner(buffer)
        var fields = StructuredFields()
        guard scanner.consume(0x7B) else {
            return .failure(.invalidJSON(reason: "a structured CloudEvent must be a JSON object"))
        }
        if !scanner.consume(0x7D) {
            repeat {
                guard let name = scanner.string(), scanner.consume(0x3A) else {
                    return .failure(.invalidJSON(reason: "malformed object member near byte \(scanner.position)"))
                }
                if name == "data" {
                    guard let range = scanner.skipValue() else {
                        return .failure(.invalidJSON(reason: "malformed 'data' value near byte \(scanner.position)"))
                    }
                    let isNull = range.count == 4 && buffer[range.lowerBound] == 0x6E
                    fields.dataRange = isNull ? nil : range
                } else if stringAttributes.contains(name) {
                    if scanner.consumeLiteral("null") { continue }
                    guard scanner.peek() == 0x22, let value = scanner.string() else {
                        return .failure(.malformedAttribute(name: name, reason: "must be a JSON string"))
                    }
                    fields.attributes[name] = value
                } else {
                    guard scanner.skipValue() != nil else {
                        return .failure(.invalidJSON(reason: "malformed value of '\(name)' near byte \(scanner.position)"))
                    }
                }
            } while scanner.consume(0x2C)
            guard scanner.consume(0x7D) else {
                return .failure(.invalidJSON(reason: "expected ',' or '}' near byte \(scanner.position)"))
            }
        }
        scanner.skipWhitespace()
        guard scanner.isAtEnd else {
            return .failure(.invalidJSON(reason: "unexpected bytes after the event object at byte \(scanner.position)"))
        }
        return .success(fields)
    }
}
