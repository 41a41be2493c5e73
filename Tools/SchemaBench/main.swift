// schema-bench: encode + decode round trips of an observation event with six measurements
// (Kafka binary content mode: headers + value) on one thread, in a loop; prints round trips/second.
//
//   swift build -c release --product schema-bench && .build/release/schema-bench [seconds]
//   SCHEMA_BENCH_SPLIT=1 … also prints the cost of each step in nanoseconds.
//
// Encoding goes through one `EventEncoder` and decoding through one `EventDecoder`, each kept for the
// whole run as a producer and a consumer keep theirs: their bounded caches share the values that repeat
// between records (source, subject, key; dataset, agency and source ids); the ids that are unique to
// each record are encoded and decoded every time, and every round trip encodes and decodes afresh.
import CityEvents
import Foundation

let seconds = CommandLine.arguments.dropFirst().first.flatMap(Double.init) ?? 3.0

guard let observedAt = Timestamp(rfc3339: "2025-03-01T00:01:17.669055+07:00") else {
    fatalError("benchmark timestamp does not parse")
}
let payload = ObservationRecorded(
    datasetId: "hanoi-air-quality",
    agencyId: "so-tnmt-hanoi",
    sourceId: "hanoi-city",
    observedAt: observedAt,
    location: GeoLocation(lat: 21.0285, lon: 105.8542, areaCode: "01"),
    measurements: [
        ObservationMeasurement(quantity: "pm25", value: 70.5, unit: "µg/m³"),
        ObservationMeasurement(quantity: "pm10", value: 118.3, unit: "µg/m³"),
        ObservationMeasurement(quantity: "o3", value: 5.2, unit: "µg/m³"),
        ObservationMeasurement(quantity: "no2", value: 91.8, unit: "µg/m³"),
        ObservationMeasurement(quantity: "so2", value: 10.3, unit: "µg/m³"),
        ObservationMeasurement(quantity: "co", value: 2172.7, unit: "µg/m³"),
    ]
)
let eventID = EventCodec.newEventID()
let time = Timestamp.now()

/// CPU time consumed by this thread, so that the figure is per core even on a busy machine.
func threadCPUSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

func roundTrip(_ encoder: inout EventEncoder, _ decoder: inout EventDecoder) throws -> Int {
    let record = try encoder.encode(payload, id: eventID, source: "/city/ingest", time: time)
    let event = try decoder.decode(ObservationRecorded.self, headers: record.headers, value: record.value)
    return event.payload.measurements.count
}

do {
    // Warm up and check the round trip is faithful.
    let record = try EventCodec.encode(payload, id: eventID, source: "/city/ingest", time: time)
    var encoder = EventEncoder()
    var decoder = EventDecoder()
    guard try encoder.encode(payload, id: eventID, source: "/city/ingest", time: time) == record else {
        fatalError("EventEncoder and EventCodec disagree")
    }
    for _ in 0..<2 {  // a miss, then a hit of the decoder's cache
        let decoded = try decoder.decode(ObservationRecorded.self, headers: record.headers, value: record.value)
        guard decoded.payload == payload, decoded.id == eventID, decoded.time == time, decoded.source == "/city/ingest",
            decoded.subject == payload.datasetId
        else { fatalError("round trip changed the event") }
    }
    for _ in 0..<20_000 { _ = try roundTrip(&encoder, &decoder) }

    let cpuStart = threadCPUSeconds()
    var iterations = 0
    var checksum = 0
    let clock = ContinuousClock()
    let start = clock.now
    let deadline = start.advanced(by: .seconds(seconds))
    while clock.now < deadline {
        for _ in 0..<1_000 { checksum &+= try roundTrip(&encoder, &decoder) }
        iterations += 1_000
    }
    let elapsed = start.duration(to: clock.now)
    let elapsedSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let cpuSeconds = threadCPUSeconds() - cpuStart
    let rate = Double(iterations) / elapsedSeconds
    let cpuRate = Double(iterations) / cpuSeconds
    let valueBytes = record.value?.count ?? 0
    let headerBytes = record.headers.reduce(0) { $0 + $1.name.utf8.count + $1.value.count }
    print("schema-bench: observation event, 6 measurements, binary mode (value \(valueBytes) B, headers \(headerBytes) B)")
    print("round trips: \(iterations) in \(String(format: "%.2f", elapsedSeconds)) s (checksum \(checksum))")
    print("round trips/second (wall clock): \(Int(rate))")
    print("round trips/second (per CPU-second of this thread): \(Int(cpuRate))")
    if ProcessInfo.processInfo.environment["SCHEMA_BENCH_SPLIT"] == "1" {
        func measure(_ label: String, _ body: () throws -> Void) rethrows {
            let begin = threadCPUSeconds()
            for _ in 0..<200_000 { try body() }
            print("\(label): \(Int((threadCPUSeconds() - begin) / 200_000 * 1e9)) ns")
        }
        let value = record.value ?? []
        let envelope = try CloudEvent(kafkaHeaders: record.headers, value: record.value)
        try measure("encode payload JSON") { _ = try payload.encodeJSON() }
        try measure("encode whole record (EventCodec.encode, no cache)") {
            _ = try EventCodec.encode(payload, id: eventID, source: "/city/ingest", time: time)
        }
        try measure("encode whole record (EventEncoder)") {
            _ = try encoder.encode(payload, id: eventID, source: "/city/ingest", time: time)
        }
        try measure("headers → envelope") { _ = try CloudEvent(kafkaHeaders: record.headers, value: record.value) }
        try measure("decode payload JSON") { _ = try ObservationRecorded.decodeJSON(value) }
        try measure("decode whole record (EventCodec.decode, no cache)") {
            _ = try EventCodec.decode(ObservationRecorded.self, headers: record.headers, value: record.value)
        }
        try measure("decode whole record (EventDecoder)") {
            _ = try decoder.decode(ObservationRecorded.self, headers: record.headers, value: record.value)
        }

        try measure("envelope → typed event") { _ = try EventCodec.event(ObservationRecorded.self, from: envelope) }
        measure("envelope → headers") { _ = envelope.kafkaHeaders() }
        try measure("reference Codable encode + decode of the payload") {
            _ = try PayloadJSON.decode(ObservationRecorded.self, from: PayloadJSON.encode(payload))
        }
    }
} catch {
    print("schema-bench failed: \(error)")
    exit(1)
}
