import CityEvents
import CityKafka
import CityRuntime
import Logging
import NotificationsCore

/// Decides which deliveries a batch of consumed records makes: for each deliverable event, one per
/// active subscription whose filter matches and whose agency may see the event's dataset.
struct FanoutPlanner {
    let subscriptions: [ActiveSubscription]
    let catalog: CatalogState
    let logger: Logger

    func deliveries(for batch: [KafkaConsumerRecord]) -> [NewDelivery] {
        var deliveries: [NewDelivery] = []
        for record in batch {
            guard let value = record.value else { continue }  // a tombstone: nothing to deliver
            let event: CloudEvent
            let facts: EventFacts
            do {
                event = try CloudEvent(kafkaHeaders: record.eventRecord.headers, value: value)
                guard DeliverableEventTypes.all.contains(event.type) else { continue }
                facts = try EventFacts(event)
            } catch {
                logger.warning(
                    "fan-out: skipping an event that does not decode",
                    metadata: ["topic": "\(record.topic)", "partition": "\(record.partition)", "offset": "\(record.offset)", "error": "\(error)"]
                )
                continue
            }
            var body: String?
            for subscription in subscriptions
            where subscription.filter.matches(facts) && catalog.isVisible(datasetId: facts.datasetId, to: subscription.agencyId) {
                let subscriptionId = subscription.id.uuidString.lowercased()
                let text = body ?? String(decoding: event.structuredJSON(), as: UTF8.self)
                body = text
                deliveries.append(
                    NewDelivery(
                        id: WebhookMessageID.make(subscriptionId: subscriptionId, eventId: event.id), subscriptionId: subscription.id,
                        eventId: event.id, eventType: event.type, datasetId: facts.datasetId, key: facts.throttleKey,
                        eventTime: event.time, body: text, throttleSeconds: subscription.throttleSeconds
                    )
                )
            }
        }
        return deliveries
    }
}
