import CityEvents

/// Validates an envelope against the schema of its event type with the current typed decoders.
enum PayloadCatalog {
    /// What a valid event tells the producer: its Kafka key and the topic its payload belongs on.
    struct Validated: Sendable {
        var key: [UInt8]?
        var destinationTopic: String
    }

    /// Decodes the data with the payload type of `envelope.type`; throws the decoder's error, or
    /// `unknownEventType` for a type this build does not know.
    static func validate(_ envelope: CloudEvent) throws(EventDecodingError) -> Validated {
        switch envelope.type {
        case ObservationRecorded.eventType: return try check(ObservationRecorded.self, envelope)
        case IngestRejected.eventType: return try check(IngestRejected.self, envelope)
        case AgencySnapshot.eventType: return try check(AgencySnapshot.self, envelope)
        case DatasetSnapshot.eventType: return try check(DatasetSnapshot.self, envelope)
        case GrantSnapshot.eventType: return try check(GrantSnapshot.self, envelope)
        case IndicatorComputed.eventType: return try check(IndicatorComputed.self, envelope)
        case IndicatorAlert.eventType: return try check(IndicatorAlert.self, envelope)
        case DeliveryOutcome.eventType: return try check(DeliveryOutcome.self, envelope)
        case DeadLetterRecord.eventType: return try check(DeadLetterRecord.self, envelope)
        default: throw .unknownEventType(envelope.type)
        }
    }

    /// The typed payload's re-encoding of `data`, for comparing with what was read (fields dropped
    /// or changed by the current types show up as a difference).
    static func reencode(_ envelope: CloudEvent) throws -> [UInt8] {
        switch envelope.type {
        case ObservationRecorded.eventType: return try roundTrip(ObservationRecorded.self, envelope)
        case IngestRejected.eventType: return try roundTrip(IngestRejected.self, envelope)
        case AgencySnapshot.eventType: return try roundTrip(AgencySnapshot.self, envelope)
        case DatasetSnapshot.eventType: return try roundTrip(DatasetSnapshot.self, envelope)
        case GrantSnapshot.eventType: return try roundTrip(GrantSnapshot.self, envelope)
        case IndicatorComputed.eventType: return try roundTrip(IndicatorComputed.self, envelope)
        case IndicatorAlert.eventType: return try roundTrip(IndicatorAlert.self, envelope)
        case DeliveryOutcome.eventType: return try roundTrip(DeliveryOutcome.self, envelope)
        case DeadLetterRecord.eventType: return try roundTrip(DeadLetterRecord.self, envelope)
        default: throw EventDecodingError.unknownEventType(envelope.type)
        }
    }

    private static func check<Payload: EventPayload>(_ type: Payload.Type, _ envelope: CloudEvent) throws(EventDecodingError) -> Validated {
        let event = try EventCodec.event(type, from: envelope)
        return Validated(key: event.payload.partitionKey, destinationTopic: event.payload.destinationTopic)
    }

    private static func roundTrip<Payload: EventPayload>(_ type: Payload.Type, _ envelope: CloudEvent) throws -> [UInt8] {
        try EventCodec.event(type, from: envelope).payload.encodeJSON()
    }
}
