/// What a record on a compacted topic means: the entity's new state, or its deletion (tombstone).
public enum SnapshotChange<Payload: SnapshotPayload>: Sendable, Equatable {
    /// The entity was created or updated; the event carries its full state.
    case upsert(Event<Payload>)
    /// The entity with this id was deleted (the record's value was null).
    case deleted(entityId: String)

    /// The entity id the change is about.
    public var entityId: String {
        switch self {
        case .upsert(let event): return event.payload.entityId
        case .deleted(let id): return id
        }
    }
}
