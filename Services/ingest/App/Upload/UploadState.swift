import CityEvents
import CityKafka
import CityRuntime
import IngestCore

/// What the pipeline has learnt so far about one upload: counts, errors, the records waiting to be
/// sent, and the ids seen (so a record repeated inside the upload is published once).
struct UploadState {
    let request: UploadRequest
    let validator: ObservationValidator
    let settings: IngestSettings

    private(set) var index = 0
    private(set) var accepted = 0
    private(set) var rejected = 0
    private(set) var duplicates = 0
    private(set) var errors: [RecordError] = []
    private(set) var rejectedCodes: [RecordError.Code: Int] = [:]
    private(set) var datasetIds: Set<String> = []
    var pendingAccepted: [KafkaProducerRecord] = []
    var pendingRejected: [KafkaProducerRecord] = []
    var inFlight = 0
    private var seen: Set<ObservationID.Key> = []
    private var seenOther: Set<String> = []
    private var plainPath = PlainPathCache()
    private var encoder = EventEncoder()
    private var lastDatasetId: String?
    private var csvHeader: [String]?
    private var csvMapping: CSVMapping?

    init(request: UploadRequest, validator: ObservationValidator, settings: IngestSettings) {
        self.request = request
        self.validator = validator
        self.settings = settings
        if let dataset = request.csvDataset { datasetIds.insert(dataset.id) }
    }

    mutating func handle(_ chunks: [RecordChunk], now: Timestamp) throws(UploadFailure) {
        for chunk in chunks {
            if request.format == .csv, csvMapping == nil, case .row(let header) = chunk {
                try readHeader(header)
                continue
            }
            guard index < settings.maxRecords else { throw .tooManyRecords(limit: settings.maxRecords) }
            defer { index += 1 }
            switch chunk {
            case .malformed(let reason):
                reject(RecordError(index: index, field: nil, reason: reason, code: .malformed), raw: RawRecord(json: .null))
            case .record(let bytes):
                switch validator.validate(json: bytes, index: index, now: now, cache: &plainPath) {
                case .success(let observation): accept(observation, at: now)
                case .failure(let error): reject(error, raw: RawRecord.from(bytes: bytes))
                }
            case .row(let row):
                guard let mapping = csvMapping else { continue }
                switch validator.validate(row: row, mapping: mapping, index: index, now: now) {
                case .success(let observation): accept(observation, at: now)
                case .failure(let error): reject(error, raw: RawRecord.from(row: row, header: csvHeader))
                }
            }
        }
    }

    private mutating func readHeader(_ header: [String]) throws(UploadFailure) {
        guard let dataset = request.csvDataset else { return }
        switch CSVMapping.make(header: header, dataset: dataset, sourceIdParameter: request.csvSourceId) {
        case .success(let mapping):
            csvHeader = header
            csvMapping = mapping
        case .failure(let error):
            throw .csvHeader(error)
        }
    }

    /// Queues an accepted observation's event, stamped `now` (the time its part of the body was read).
    private mutating func accept(_ observation: ObservationRecorded, at now: Timestamp) {
        let firstTime: Bool
        if let key = ObservationID.Key(observation.observationId) {  // always: the validator made the id
            firstTime = seen.insert(key).inserted
        } else {
            firstTime = seenOther.insert(observation.observationId).inserted
        }
        guard firstTime else {
            duplicates += 1
            return
        }
        do {
            var record = try encoder.encode(observation, source: UploadPipeline.eventSource, time: now)
            record.topic = settings.observationsTopic
            pendingAccepted.append(KafkaProducerRecord(record))
            accepted += 1
            if observation.datasetId != lastDatasetId {  // an upload's records are mostly of one dataset
                datasetIds.insert(observation.datasetId)
                lastDatasetId = observation.datasetId
            }
        } catch {
            reject(RecordError(index: index, field: nil, reason: "the record could not be encoded: \(error)", code: .malformed), raw: RawRecord(json: .null))
        }
    }

    private mutating func reject(_ error: RecordError, raw: RawRecord) {
        rejected += 1
        rejectedCodes[error.code, default: 0] += 1
        if errors.count < BatchSummary.maxListedErrors { errors.append(error) }
        let event = RejectionEvent.make(error, raw: raw, request: request)
        if let record = try? EventCodec.encode(Event(source: UploadPipeline.eventSource, payload: event)) {
            pendingRejected.append(KafkaProducerRecord(record))
        }
    }

    /// The summary; with all-or-nothing and any rejection, nothing counts as accepted.
    func summary() -> BatchSummary {
        let published = request.allOrNothing && rejected > 0 ? 0 : accepted
        return BatchSummary(
            batchId: request.batchId, datasetIds: datasetIds.sorted(), accepted: published, rejected: rejected,
            duplicates: duplicates, errors: errors, errorsTruncated: rejected > errors.count, receivedAt: request.receivedAt.rfc3339
        )
    }
}
