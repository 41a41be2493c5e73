import CityEvents
import CityKafka
import Foundation

/// The record of redrives: one marker per redriven dead letter on a log topic (default
/// `citytopics.redrive.v1`), keyed `<dlq topic>/<partition>/<offset>`, so that a second redrive of the
/// same dead-letter topic sends nothing twice.
struct RedriveLog: Sendable {
    static let defaultTopic = "citytopics.redrive.v1"

    var topic: String

    /// The marker key of a dead letter.
    static func key(deadLetterTopic: String, partition: Int32, offset: Int64) -> String {
        "\(deadLetterTopic)/\(partition)/\(offset)"
    }

    /// What a marker says, as JSON.
    struct Marker: Codable, Sendable {
        var deadLetterTopic: String
        var partition: Int32
        var offset: Int64
        var originalTopic: String
        var redrivenToPartition: Int32
        var redrivenToOffset: Int64
        var redrivenAt: String
    }

    /// The marker keys already on the log for `deadLetterTopic`; empty when the log topic does not exist yet.
    func redriven(of deadLetterTopic: String, session: ClusterSession, metadata: ClusterMetadata) async throws -> Set<String> {
        guard let log = metadata.topic(named: topic), log.error == nil, !log.partitions.isEmpty else { return [] }
        var keys: Set<String> = []
        let prefix = deadLetterTopic + "/"
        _ = try await TopicScan(topic: log, start: TopicScan.fromBeginning(log)).run(session: session) { record in
            if let key = record.key.flatMap({ String(validating: $0, as: UTF8.self) }), key.hasPrefix(prefix) { keys.insert(key) }
            return true
        }
        return keys
    }

    /// The marker record for a redriven dead letter.
    func marker(_ marker: Marker) throws -> KafkaProducerRecord {
        let key = Self.key(deadLetterTopic: marker.deadLetterTopic, partition: marker.partition, offset: marker.offset)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return KafkaProducerRecord(topic: topic, key: Array(key.utf8), value: Array(try encoder.encode(marker)))
    }

    /// Makes sure the log topic exists: present, auto-created on first send (-X
    /// allow.auto.create.topics=true), or created now through the admin API (one partition, compacted).
    func ensureExists(session: ClusterSession, metadata: ClusterMetadata, autoCreation: Bool) async throws {
        if let log = metadata.topic(named: topic), log.error == nil, !log.partitions.isEmpty { return }
        if autoCreation { return }
        let replication = Int32(min(TopicRegistry.productionReplicationFactor, max(1, metadata.brokers.count)))
        let request = NewTopic(name: topic, partitions: 1, replicationFactor: replication, config: ["cleanup.policy": "compact"])
        let failure: String?
        do {
            switch try await session.admin.createTopics([request])[topic] {
            case .success?: failure = nil
            case .failure(let error)? where error.code == .topicAlreadyExists: failure = nil
            case .failure(let error)?: failure = "\(error)"
            case nil: failure = "no answer"
            }
        } catch {
            failure = "\(error)"
        }
        if let failure {
            throw ToolFailure(.kafkaFailed, "the redrive log topic \(topic) does not exist and could not be created (\(failure)); create it (1 partition, cleanup.policy=compact) or pass -X allow.auto.create.topics=true where the cluster auto-creates topics")
        }
    }
}
