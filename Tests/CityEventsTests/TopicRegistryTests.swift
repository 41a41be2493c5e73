import CityEvents
import Testing

@Suite("Topic registry")
struct TopicRegistryTests {
    let registry = TopicRegistry()

    @Test("the PLATFORM.md topic table")
    func table() throws {
        let primary = registry.primaryTopics
        #expect(primary.map(\.name) == [
            "city.observations.v1", "city.ingest.rejected.v1", "city.catalog.agencies.v1", "city.catalog.datasets.v1",
            "city.catalog.grants.v1", "city.indicators.values.v1", "city.indicators.alerts.v1",
            "city.notifications.deliveries.v1",
        ])
        let observations = try #require(registry.topic(named: "city.observations.v1"))
        #expect(observations.partitions == 12)
        #expect(observations.retentionMs == TopicRetention.sevenDays)
        #expect(observations.cleanupPolicy == .delete)
        for topic in primary where topic.name != "city.observations.v1" {
            #expect(topic.partitions == 6)
        }
        for name in ["city.catalog.agencies.v1", "city.catalog.datasets.v1", "city.catalog.grants.v1"] {
            let topic = try #require(registry.topic(named: name))
            #expect(topic.cleanupPolicy == .compact)
            #expect(topic.kafkaConfig["cleanup.policy"] == "compact")
            #expect(topic.kafkaConfig["min.compaction.lag.ms"] != nil)
            #expect(topic.kafkaConfig["delete.retention.ms"] != nil)
        }
        for name in ["city.ingest.rejected.v1", "city.indicators.values.v1", "city.indicators.alerts.v1", "city.notifications.deliveries.v1"] {
            #expect(registry.topic(named: name)?.retentionMs == TopicRetention.thirtyDays)
        }
    }

    @Test("dead-letter companions")
    func deadLetters() throws {
        #expect(registry.deadLetterTopics.count == registry.primaryTopics.count)
        for primary in registry.primaryTopics {
            let name = try #require(primary.deadLetterTopic)
            #expect(name == primary.name + ".dlq")
            let dlq = try #require(registry.topic(named: name))
            #expect(dlq.isDeadLetterTopic)
            #expect(dlq.cleanupPolicy == .delete)
            #expect(dlq.retentionMs == TopicRetention.thirtyDays)
            #expect(dlq.eventTypes == [EventType.deadLetter])
            #expect(dlq.kafkaConfig["retention.ms"] == "2592000000")
        }
    }

    @Test("every event type has its topic, and payload types agree with the registry")
    func eventTypes() {
        for type in EventType.all where type != EventType.deadLetter {
            #expect(registry.topic(carrying: type) != nil, "\(type)")
        }
        #expect(registry.topic(carrying: ObservationRecorded.eventType)?.name == ObservationRecorded.topic)
        #expect(registry.topic(carrying: IngestRejected.eventType)?.name == IngestRejected.topic)
        #expect(registry.topic(carrying: AgencySnapshot.eventType)?.name == AgencySnapshot.topic)
        #expect(registry.topic(carrying: DatasetSnapshot.eventType)?.name == DatasetSnapshot.topic)
        #expect(registry.topic(carrying: GrantSnapshot.eventType)?.name == GrantSnapshot.topic)
        #expect(registry.topic(carrying: IndicatorComputed.eventType)?.name == IndicatorComputed.topic)
        #expect(registry.topic(carrying: IndicatorAlert.eventType)?.name == IndicatorAlert.topic)
        #expect(registry.topic(carrying: DeliveryOutcome.eventType)?.name == DeliveryOutcome.topic)
    }

    @Test("replication factor and min.insync.replicas follow the cluster size", arguments: [(1, 1), (2, 1), (3, 2), (5, 2)])
    func replication(factor: Int, minInsync: Int) {
        let registry = TopicRegistry(replicationFactor: factor)
        for topic in registry.allTopics {
            #expect(topic.replicationFactor == factor)
            #expect(topic.kafkaConfig["min.insync.replicas"] == String(minInsync))
        }
        #expect(TopicRegistry().allTopics.allSatisfy { $0.replicationFactor == 3 })
    }
}
