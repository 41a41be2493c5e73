/// A record recognised as a tombstone: a null value on one of the compacted catalog topics.
public struct Tombstone: Sendable, Hashable, CustomStringConvertible {
    /// Which kind of entity is deleted.
    public var entity: SnapshotEntity
    /// The id of the deleted entity (the record key).
    public var entityId: String

    /// Creates a tombstone description.
    public init(entity: SnapshotEntity, entityId: String) {
        self.entity = entity
        self.entityId = entityId
    }

    /// Recognises a record as a tombstone: `nil` unless the topic is compacted, the value is null and
    /// the key is a non-empty UTF-8 id.
    public init?(record: KafkaRecord) {
        guard record.value == nil,
            let entity = SnapshotEntity(topic: record.topic),
            let id = record.keyText, !id.isEmpty
        else { return nil }
        self.init(entity: entity, entityId: id)
    }

    /// The record that deletes this entity.
    public var record: KafkaRecord {
        KafkaRecord(topic: entity.topic, key: Array(entityId.utf8), headers: [], value: nil)
    }

    public var description: String { "tombstone for \(entity.rawValue) \(entityId)" }
}

/// The entities kept on compacted topics.
public enum SnapshotEntity: String, Sendable, Hashable, CaseIterable {
    case agency
    case dataset
    case grant

    /// The compacted topic carrying this entity.
    public var topic: String {
        switch self {
        case .agency: return TopicName.agencies
        case .dataset: return TopicName.datasets
        case .grant: return TopicName.grants
        }
    }

    /// The entity kept on a compacted topic, if `topic` is one.
    public init?(topic: String) {
        guard let entity = Self.allCases.first(where: { $0.topic == topic }) else { return nil }
        self = entity
    }
}
