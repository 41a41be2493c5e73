import CityEvents
import Foundation
import Testing

/// The typed decode path without an intermediate envelope, the per-consumer ``EventDecoder`` cache
/// and the exact-layout observation parser: each must give exactly what the reference path gives
/// (the full header reader and the `Codable` decoder), value or error, and never trap.
@Suite("EventDecoder and the observation fast paths")
struct EventDecoderTests {
    let record = Samples.observationRecord

    /// The reference: the full envelope reader, then the `Codable` payload decoder.
    static func reference(headers: [EventHeader], value: [UInt8]?) -> Result<Event<ObservationRecorded>, EventDecodingError> {
        do throws(EventDecodingError) {
            let envelope = try CloudEvent(kafkaHeaders: headers, value: value)
            let typed = try EventCodec.event(ObservationRecorded.self, from: envelope)
            return .success(Event(
                id: typed.id, source: typed.source, time: typed.time, subject: typed.subject, traceparent: typed.traceparent,
                payload: try PayloadJSON.decode(ObservationRecorded.self, from: envelope.data ?? [])
            ))
        } catch {
            return .failure(error)
        }
    }

    static func decoded(
        _ decoder: inout EventDecoder, headers: [EventHeader], value: [UInt8]?
    ) -> Result<Event<ObservationRecorded>, EventDecodingError> {
        do throws(EventDecodingError) {
            return .success(try decoder.decode(ObservationRecorded.self, headers: headers, value: value))
        } catch {
            return .failure(error)
        }
    }

    /// Decodes with a cached decoder, an uncached one and `EventCodec.decode`, and compares each
    /// with the reference.
    func expectAgreement(
        _ decoder: inout EventDecoder, headers: [EventHeader], value: [UInt8]?, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let expected = Self.reference(headers: headers, value: value)
        var uncached = EventDecoder(capacity: 0)
        #expect(Self.decoded(&decoder, headers: headers, value: value) == expected, sourceLocation: sourceLocation)
        #expect(Self.decoded(&uncached, headers: headers, value: value) == expected, sourceLocation: sourceLocation)
        let plain: Result<Event<ObservationRecorded>, EventDecodingError>
        do throws(EventDecodingError) {
            plain = .success(try EventCodec.decode(ObservationRecorded.self, headers: headers, value: value))
        } catch {
            plain = .failure(error)
        }
        #expect(plain == expected, sourceLocation: sourceLocation)
    }

    @Test("the sample decodes to the event that was encoded, cache cold and warm")
    func sample() throws {
        var decoder = EventDecoder()
        for _ in 0..<3 {
            let event = try decoder.decode(ObservationRecorded.self, headers: record.headers, value: record.value)
            #expect(event.payload == Samples.observation)
            #expect(event.id == Samples.eventID)
            #expect(event.source == "/city/ingest")
            #expect(event.time == Samples.eventTime)
            #expect(event.subject == Samples.observation.datasetId)
            expectAgreement(&decoder, headers: record.headers, value: record.value)
        }
    }

    @Test("a value truncated at every byte offset gives the reference error")
    func truncatedValue() throws {
        let value = try #require(record.value)
        var decoder = EventDecoder()
        _ = Self.decoded(&decoder, headers: record.headers, value: value)  // warm the cache
        for length in 0..<value.count {
            let prefix = Array(value[0..<length])
            guard case .failure = Self.decoded(&decoder, headers: record.headers, value: prefix) else {
                Issue.record("a value cut to \(length) bytes decoded")
                continue
            }
            expectAgreement(&decoder, headers: record.headers, value: prefix)
        }
    }

    @Test("every header value truncated at every byte offset gives the reference result")
    func truncatedHeaders() {
        var decoder = EventDecoder()
        for (index, header) in record.headers.enumerated() {
            for length in 0..<header.value.count {
                var headers = record.headers
                headers[index] = EventHeader(name: header.name, value: Array(header.value[0..<length]))
                expectAgreement(&decoder, headers: headers, value: record.value)
            }
        }
    }

    @Test("unusual headers take the full reader's path")
    func unusualHeaders() throws {
        var decoder = EventDecoder()
        var variants: [[EventHeader]] = []
        variants.append(record.headers.reversed())
        variants.append(record.headers + [EventHeader(name: "ce_source", text: "/other")])
        variants.append(record.headers + [EventHeader(name: "ce_source", text: "/city/ingest")])
        variants.append(record.headers + [EventHeader(name: "x-ünïcode", text: "1")])
        variants.append(record.headers + [EventHeader(name: "traceparent", text: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")])
        variants.append(record.headers + [EventHeader(name: "ce_traceparent", text: "not a traceparent")])
        variants.append(record.headers.filter { $0.name != "ce_subject" })
        variants.append(record.headers.map { $0.name == "ce_subject" ? EventHeader(name: "ce_subject", value: [0xC3, 0x28]) : $0 })
        variants.append(record.headers.map { $0.name == "ce_subject" ? EventHeader(name: "ce_subject", text: "Hà Nội") : $0 })
        variants.append(record.headers.map { $0.name == "ce_source" ? EventHeader(name: "ce_source", value: [0xED, 0xA0, 0x80]) : $0 })
        variants.append(record.headers.map { $0.name == "ce_type" ? EventHeader(name: "ce_type", text: EventType.grantUpdated) : $0 })
        variants.append(record.headers.map { $0.name == "ce_time" ? EventHeader(name: "ce_time", text: "2025-03-01T00:01:17.1234567891Z") : $0 })
        variants.append(record.headers.map { $0.name == "content-type" ? EventHeader(name: "content-type", text: "application/json; charset=utf-8") : $0 })
        for headers in variants {
            expectAgreement(&decoder, headers: headers, value: record.value)
            expectAgreement(&decoder, headers: headers, value: nil)
        }
    }

    @Test("payload layouts other than the encoder's agree with the reference")
    func otherLayouts() throws {
        let text = String(decoding: try #require(record.value), as: UTF8.self)
        let variants = [
            text.replacingOccurrences(of: ",", with: " , "),
            text.replacingOccurrences(of: "\"hanoi-city\"", with: "\"hanoi-\\u0063ity\""),
            text.replacingOccurrences(of: "\"01\"", with: "null"),
            text.replacingOccurrences(of: "\"so-tnmt-hanoi\"", with: "\"Sở TNMT Hà Nội\""),
            text.replacingOccurrences(of: "\"so-tnmt-hanoi\"", with: "\"" + String(repeating: "long-agency-", count: 8) + "\""),
            text.replacingOccurrences(of: "\"pm25\"", with: "\"pm25\",\"quantity\":\"pm10\""),
            text.replacingOccurrences(of: "{\"agencyId\"", with: "{\"zz\":[1,{\"a\":null}],\"agencyId\""),
            text.replacingOccurrences(of: "70.5", with: "7.05e1"),
            text.replacingOccurrences(of: "70.5", with: "70.5x"),
            text.replacingOccurrences(of: "70.5", with: "1e400"),
            text.replacingOccurrences(of: "70.5", with: "\"70.5\""),
            text.replacingOccurrences(of: "\"lat\":21.0285,", with: ""),
            text.replacingOccurrences(of: "2025-03-01", with: "2025-02-30"),
            text + " ",
            text + "}",
        ]
        var decoder = EventDecoder()
        for variant in variants {
            expectAgreement(&decoder, headers: record.headers, value: Array(variant.utf8))
        }
        var invalid = try #require(record.value)
        if let index = invalid.firstIndex(of: UInt8(ascii: "k")) {  // inside "so-tnmt-hanoi"… or a key
            invalid[index] = 0xFF
            expectAgreement(&decoder, headers: record.headers, value: invalid)
        }
    }

    @Test("many distinct ids through a tiny cache: evictions never change a value")
    func evictions() throws {
        var tiny = EventDecoder(capacity: 2)
        var large = EventDecoder()
        for index in 0..<300 {
            var payload = Samples.observation
            payload.sourceId = "station-\(index % 37)"
            payload.datasetId = index % 3 == 0 ? "hanoi-air-quality" : "dataset-with-a-rather-long-identifier-\(index % 5)"
            payload.agencyId = "agency-\(index % 7)"
            payload.location?.areaCode = index % 2 == 0 ? "0\(index % 10)" : nil
            let record = try EventCodec.encode(payload, source: "/source/\(index % 4)")
            let fromTiny = try tiny.decode(ObservationRecorded.self, headers: record.headers, value: record.value)
            let fromLarge = try large.decode(ObservationRecorded.self, headers: record.headers, value: record.value)
            #expect(fromTiny.payload == payload)
            #expect(fromLarge == fromTiny)
            #expect(fromTiny.source == "/source/\(index % 4)")
            #expect(fromTiny.subject == payload.datasetId)
        }
    }

    @Test("random mutations of the value: fast paths accept only what the reference accepts, identically")
    func mutationsAgree() throws {
        var generator = DecodingErrorTests.SeededGenerator(state: 20_261_127)
        let base = try #require(record.value)
        let alphabet = Array("{}[]\":,.-+eE0123456789 \\nulltruefalse\u{7F}".utf8) + [0x00, 0x1F, 0xC3, 0xFF]
        var decoder = EventDecoder(capacity: 8)
        for round in 0..<1_500 {
            var bytes = base
            for _ in 0..<Int.random(in: 1...3, using: &generator) where !bytes.isEmpty {
                let index = Int.random(in: 0..<bytes.count, using: &generator)
                let byte = alphabet[Int.random(in: 0..<alphabet.count, using: &generator)]
                switch round % 3 {
                case 0: bytes[index] = byte
                case 1: bytes.remove(at: index)
                default: bytes.insert(byte, at: index)
                }
            }
            expectAgreement(&decoder, headers: record.headers, value: bytes)
        }
    }

    @Test("strings of every short length, with a special byte at every position, encode like the reference")
    func stringEncodingEdges() throws {
        let specials = ["\"", "\\", "\n", "\u{01}", "\u{1F}", "é", "/", "\u{7F}"]
        for length in 0...20 {
            for position in 0..<max(length, 1) {
                for special in specials {
                    var characters = Array(repeating: "a", count: length)
                    if length > 0 { characters[position] = special }
                    let text = characters.joined()
                    var payload = Samples.observation
                    payload.sourceId = text
                    payload.agencyId = text
                    payload.measurements[0].unit = text
                    let fast = try payload.encodeJSON()
                    #expect(fast == (try PayloadJSON.encode(payload)), "\(text.debugDescription)")
                    var decoder = EventDecoder()
                    let record = try EventCodec.encode(payload, id: Samples.eventID, source: "/s", time: Samples.eventTime)
                    #expect(try decoder.decode(ObservationRecorded.self, headers: record.headers, value: record.value).payload == payload)
                }
            }
        }
    }

    @Test("other payload types decode through the decoder exactly as through EventCodec")
    func otherPayloads() throws {
        var decoder = EventDecoder()
        let record = try EventCodec.encode(Samples.indicator, source: "/city/indicators")
        let viaDecoder = try decoder.decode(IndicatorComputed.self, record: record)
        #expect(viaDecoder == (try EventCodec.decode(IndicatorComputed.self, record: record)))
        #expect(viaDecoder.payload == Samples.indicator)
        #expect(throws: EventDecodingError.unexpectedEventType(expected: EventType.indicatorComputed, actual: EventType.observationRecorded)) {
            try decoder.decode(IndicatorComputed.self, record: self.record)
        }
    }
}

/// ``EventEncoder`` writes exactly the records ``EventCodec`` writes, whatever its cache holds.
@Suite("EventEncoder")
struct EventEncoderTests {
    @Test("records equal EventCodec's, through evictions and look-alike strings")
    func sameRecords() throws {
        var tiny = EventEncoder(capacity: 1)
        var large = EventEncoder()
        let sources = ["/city/ingest", "/caf\u{E9}", "/cafe\u{301}", "", "/" + String(repeating: "long-source-", count: 8)]
        for index in 0..<200 {
            var payload = Samples.observation
            payload.sourceId = index % 4 == 0 ? "tr\u{1EA1}m" : index % 4 == 1 ? "tra\u{323}m" : "station-\(index % 9)"
            payload.datasetId = index % 3 == 0 ? "hanoi-air-quality" : "dataset-\(index % 5)"
            let source = sources[index % sources.count]
            let subject: String? = index % 7 == 0 ? nil : index % 7 == 1 ? "Hà Nội" : nil
            // Runs of one time, the same instant with another offset, and a nanosecond later.
            let base = Samples.eventTime
            let time = [base, base, base.withOffset(minutes: 420),
                        Timestamp(secondsSinceEpoch: base.secondsSinceEpoch, nanoseconds: base.nanoseconds + 1)][index / 3 % 4]
            let expected = Result { () throws(EventEncodingError) -> KafkaRecord in
                try EventCodec.encode(payload, id: Samples.eventID, source: source, subject: subject, time: time)
            }
            for encoder in [0, 1] {
                let produced = Result { () throws(EventEncodingError) -> KafkaRecord in
                    encoder == 0
                        ? try tiny.encode(payload, id: Samples.eventID, source: source, subject: subject, time: time)
                        : try large.encode(payload, id: Samples.eventID, source: source, subject: subject, time: time)
                }
                #expect(produced == expected, "record \(index)")
            }
            if case .success(let record) = expected {
                #expect(record.key == Array(payload.sourceId.utf8))
                #expect(record.headers.first { $0.name == "ce_source" }?.value == Array(source.utf8))
            }
        }
        let event = Event(id: "e", source: "/s", time: Samples.eventTime, subject: "x", payload: Samples.indicator)
        #expect(try large.encode(event) == EventCodec.encode(event))
        #expect(try large.encode(Samples.indicator, id: "e", source: "/s", time: Samples.eventTime)
            == EventCodec.encode(Samples.indicator, id: "e", source: "/s", time: Samples.eventTime))
    }
}
