import CityEvents
import CityKafka
import CityRuntime
import IndicatorsCore
import Logging
import PostgresNIO

/// The exactly-once sink's handler: one batch of `city.observations.v1` records, inside the
/// transaction that also stores their offsets.
///
/// Undecodable and rejected (too late, in the future) records become `DeadLetterRecord`s in the
/// outbox — never lost, never stopping the consumer. Redelivered observation ids are skipped (inbox).
/// The rest is grouped by source; each source's state is loaded once, every observation is folded in
/// record order (``ObservationFold``), and the changes, the new and revised values and the alerts are
/// written in the same transaction — a fixed number of statements per batch (about ten), whatever
/// its number of observations, sources and events.
struct ObservationBatchProcessor: Sendable {
    /// The `ce_source` of everything the service publishes.
    static let eventSource = "/city/indicators"

    let fold: ObservationFold
    let store: IndicatorStateStore
    let outbox: Outbox
    let consumerGroup: String
    let logger: Logger

    func process(_ batch: [KafkaConsumerRecord], on connection: PostgresConnection) async throws {
        let now = Timestamp.now()
        // Everything to publish, in the order it happened: the outbox is written once, at the end.
        var outgoing: [KafkaRecord] = []
        var observations: [(record: KafkaConsumerRecord, observation: ObservationRecorded)] = []
        for record in batch {
            do {
                let event = try EventCodec.decode(ObservationRecorded.self, headers: record.eventRecord.headers, value: record.value)
                observations.append((record, event.payload))
            } catch {
                outgoing.append(try deadLetter(record, reason: "undecodable: \(error)"))
            }
        }
        var unclaimed = try await store.claim(observations.map(\.observation), on: connection)
        var order: [String] = []
        var bySource: [String: [(record: KafkaConsumerRecord, observation: ObservationRecorded)]] = [:]
        for item in observations where unclaimed.remove(item.observation.observationId) != nil {
            if bySource[item.observation.sourceId] == nil { order.append(item.observation.sourceId) }
            bySource[item.observation.sourceId, default: []].append(item)
        }
        let fresh = bySource.values.reduce(0) { $0 + $1.count }
        if observations.count > fresh {
            logger.debug("skipped redelivered observations", metadata: ["count": "\(observations.count - fresh)"])
        }
        guard !order.isEmpty else {
            try await outbox.enqueue(outgoing, on: connection)
            return
        }

        var states = try await store.sources(order, on: connection)
        var windows: [IndicatorStateStore.Window] = []
        for source in order {
            guard let items = bySource[source] else { continue }
            if states[source] == nil {
                states[source] = SourceState(source: source, watermark: SourceWatermark(source: source), datasetId: nil, located: nil)
            }
            let quantities = Set(items.flatMap { $0.observation.measurements.map(\.quantity) })
            if let window = fold.window(observedAt: items.map(\.observation.observedAt), quantities: quantities, watermark: states[source]!.watermark) {
                windows.append(.init(source: source, readFrom: window.readFrom, valuesFrom: window.valuesFrom, to: window.to))
            }
        }
        try await store.load(into: &states, windows: windows, on: connection)

        var horizons: [(source: String, before: Timestamp)] = []
        for source in order {
            guard let items = bySource[source], var state = states[source] else { continue }
            for item in items {
                switch try fold.apply(item.observation, to: &state, now: now, computedAt: now) {
                case .rejected(let rejection):
                    outgoing.append(try deadLetter(item.record, reason: rejection.description))
                case .applied(let values, let alerts):
                    for value in values {
                        outgoing.append(try EventCodec.encode(value, id: EventIdentifiers.value(value), source: Self.eventSource))
                    }
                    for alert in alerts {
                        outgoing.append(try EventCodec.encode(alert, id: EventIdentifiers.alert(alert), source: Self.eventSource))
                    }
                }
            }
            states[source] = state
            if let newest = state.watermark.newestObservedAt {
                horizons.append((source, Timestamp(secondsSinceEpoch: newest.secondsSinceEpoch - fold.lateness.horizonSeconds)))
            }
        }
        try await store.save(order.compactMap { states[$0] }, on: connection)
        try await store.pruneInbox(horizons, on: connection)
        try await outbox.enqueue(outgoing, on: connection)
    }

    /// The dead letter of `record`, with the reason, for `<topic>.dlq` (written to the outbox with the batch).
    private func deadLetter(_ record: KafkaConsumerRecord, reason: String) throws -> KafkaRecord {
        logger.warning("dead-lettering an observation", metadata: [
            "topic": "\(record.topic)", "partition": "\(record.partition)", "offset": "\(record.offset)", "reason": "\(reason)",
        ])
        let letter = DeadLetterRecord(
            failed: record.eventRecord, partition: Int(record.partition), offset: record.offset, error: reason,
            consumerGroup: consumerGroup, attempts: 1)
        var encoded = try EventCodec.encode(
            letter, id: EventIdentifiers.deadLetter(topic: record.topic, partition: record.partition, offset: record.offset, group: consumerGroup),
            source: Self.eventSource)
        encoded.headers += [
            EventHeader(name: DeadLetterPublisher.HeaderName.error, text: reason),
            EventHeader(name: DeadLetterPublisher.HeaderName.group, text: consumerGroup),
            EventHeader(name: DeadLetterPublisher.HeaderName.topic, text: record.topic),
            EventHeader(name: DeadLetterPublisher.HeaderName.partition, text: String(record.partition)),
            EventHeader(name: DeadLetterPublisher.HeaderName.offset, text: String(record.offset)),
        ]
        return encoded
    }
}
