/// `vn.citydata.ingest.rejected.v1` on `city.ingest.rejected.v1`: a record ingest refused, with the
/// reason, so that publishers and operators can see and fix rejected data. Keyed by the record's
/// source id, or by the batch id when the record names no source.
public struct IngestRejected: EventPayload, Hashable {
    public static let eventType = EventType.ingestRejected
    public static let topic = TopicName.ingestRejected

    /// The publishing agency (from its API key).
    public var agencyId: String
    /// The dataset the record was meant for, when known.
    public var datasetId: String?
    /// The record's source id, when it has one.
    public var sourceId: String?
    /// The ingest batch (the `batchId` of the 202 answer).
    public var batchId: String
    /// The record's position in the batch, from 0 (CSV: data row number from 0).
    public var index: Int
    /// The offending field or column, when the problem is one field (`nil` for the whole record).
    public var field: String?
    /// What was wrong, in one line.
    public var reason: String
    /// The record as received (a CSV row becomes an object of column → cell text).
    public var record: JSONValue

    /// Creates a rejection.
    public init(
        agencyId: String, datasetId: String? = nil, sourceId: String? = nil, batchId: String,
        index: Int, field: String? = nil, reason: String, record: JSONValue
    ) {
        self.agencyId = agencyId
        self.datasetId = datasetId
        self.sourceId = sourceId
        self.batchId = batchId
        self.index = index
        self.field = field
        self.reason = reason
        self.record = record
    }

    public var partitionKey: [UInt8]? { Array((sourceId ?? batchId).utf8) }
    public var defaultSubject: String? { datasetId }
}
