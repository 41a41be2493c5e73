import CityEvents
import CityKafka

extension KafkaConsumerRecord {
    /// The record as CityEvents sees it (for `EventCodec` and `DeadLetterRecord`).
    public var eventRecord: KafkaRecord {
        KafkaRecord(topic: topic, key: key, headers: headers.map { EventHeader(name: $0.name, value: $0.value ?? []) }, value: value)
    }
}

extension KafkaProducerRecord {
    /// A producer record for an encoded CityEvents record.
    public init(_ record: KafkaRecord) {
        self.init(topic: record.topic, key: record.key, value: record.value, headers: record.headers.map { KafkaHeader(name: $0.name, value: $0.value) })
    }
}
