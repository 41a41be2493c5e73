import CityEvents
import CityKafka
import CityRuntime
import Hummingbird
import IngestCore
import Logging

/// Reads an upload as it streams in, validates each record, publishes the accepted ones to
/// `city.observations.v1` in chunks while reading on (so memory stays bounded by the chunks in flight,
/// not by the body), publishes each refused record to `city.ingest.rejected.v1`, and returns only when
/// Kafka acknowledged everything — or throws ``UploadFailure``.
struct UploadPipeline: Sendable {
    let producer: KafkaProducer
    let settings: IngestSettings
    let metrics: IngestMetrics
    let logger: Logger

    /// Records per producer call; several calls are in flight at once.
    static let chunkSize = 1_000
    static let maxChunksInFlight = 8
    static let eventSource = "/citydata/ingest"

    func run<Body: AsyncSequence & Sendable>(_ request: UploadRequest, catalog: CatalogState, body: Body) async throws(UploadFailure) -> BatchSummary
    where Body.Element == ByteBuffer {
        var policy = ValidationPolicy()
        policy.futureTolerance = settings.futureTolerance
        let agencyId = request.credential.agencyId
        let validator = ObservationValidator(agencyId: agencyId, policy: policy) { id in
            guard let dataset = catalog.dataset(id) else { return .unknown }
            return dataset.agencyId == agencyId ? .owned(dataset) : .notOwned(owner: dataset.agencyId)
        }
        var state = UploadState(request: request, validator: validator, settings: settings)
        let publisher = ChunkPublisher(producer: producer, metrics: metrics)
        let outcome: Result<Void, UploadFailure> = await withTaskGroup(of: ChunkPublisher.Outcome.self) { group in
            do throws(UploadFailure) {
                var splitter = request.format.splitter(maxRecordBytes: settings.maxRecordBytes)
                var bytesRead = 0
                var iterator = body.makeAsyncIterator()
                while true {
                    let next: ByteBuffer?
                    do { next = try await iterator.next() } catch { throw .bodyInterrupted("\(error)") }
                    guard let buffer = next else { break }
                    bytesRead += buffer.readableBytes
                    guard bytesRead <= settings.maxBodyBytes else { throw .bodyTooLarge(limit: settings.maxBodyBytes) }
                    let chunks: [RecordChunk]
                    do throws(UploadSyntaxError) {
                        chunks = try buffer.withUnsafeReadableBytes { pointer throws(UploadSyntaxError) in try splitter.feed(pointer) }
                    } catch { throw .syntax(error) }
                    try state.handle(chunks, now: .now())
                    try await publisher.flushFull(&state, into: &group, allOrNothing: request.allOrNothing)
                }
                let last: [RecordChunk]
                do throws(UploadSyntaxError) { last = try splitter.finish() } catch { throw .syntax(error) }
                try state.handle(last, now: .now())
                if request.allOrNothing && state.rejected > 0 { state.pendingAccepted.removeAll() }
                publisher.flushAll(&state, into: &group)
                try await publisher.awaitAll(&group)
                return .success(())
            } catch {
                // Already-sent chunks finish in the group; the client's retry is safe (ids are stable).
                for await _ in group {}
                return .failure(error)
            }
        }
        try outcome.get()
        metrics.recordOutcome(accepted: state.accepted, duplicates: state.duplicates, errors: state.rejectedCodes)
        return state.summary()
    }
}

/// Sends chunks of encoded records and collects their acknowledgements.
struct ChunkPublisher: Sendable {
    let producer: KafkaProducer
    let metrics: IngestMetrics

    enum Outcome: Sendable {
        case acknowledged
        case failed(String)
    }

    func flushFull(_ state: inout UploadState, into group: inout TaskGroup<Outcome>, allOrNothing: Bool) async throws(UploadFailure) {
        if !allOrNothing {
            while state.pendingAccepted.count >= UploadPipeline.chunkSize {
                let chunk = Array(state.pendingAccepted.prefix(UploadPipeline.chunkSize))
                state.pendingAccepted.removeFirst(chunk.count)
                try await send(chunk, state: &state, into: &group)
            }
        }
        if state.pendingRejected.count >= UploadPipeline.chunkSize {
            let chunk = state.pendingRejected
            state.pendingRejected.removeAll(keepingCapacity: true)
            try await send(chunk, state: &state, into: &group)
        }
    }

    func flushAll(_ state: inout UploadState, into group: inout TaskGroup<Outcome>) {
        for records in [state.pendingAccepted, state.pendingRejected] where !records.isEmpty {
            for start in stride(from: 0, to: records.count, by: UploadPipeline.chunkSize) {
                let chunk = Array(records[start..<min(start + UploadPipeline.chunkSize, records.count)])
                group.addTask { await Self.deliver(chunk, producer: producer, metrics: metrics) }
                state.inFlight += 1
            }
        }
        state.pendingAccepted.removeAll()
        state.pendingRejected.removeAll()
    }

    private func send(_ chunk: [KafkaProducerRecord], state: inout UploadState, into group: inout TaskGroup<Outcome>) async throws(UploadFailure) {
        if state.inFlight >= UploadPipeline.maxChunksInFlight {
            if case .failed(let reason)? = await group.next() { throw .kafkaUnavailable(reason) }
            state.inFlight -= 1
        }
        group.addTask { await Self.deliver(chunk, producer: producer, metrics: metrics) }
        state.inFlight += 1
    }

    func awaitAll(_ group: inout TaskGroup<Outcome>) async throws(UploadFailure) {
        var failure: String?
        for await outcome in group {
            if case .failed(let reason) = outcome, failure == nil { failure = reason }
        }
        if let failure { throw .kafkaUnavailable(failure) }
    }

    private static func deliver(_ chunk: [KafkaProducerRecord], producer: KafkaProducer, metrics: IngestMetrics) async -> Outcome {
        let started = ContinuousClock.now
        do throws(KafkaError) {
            try await producer.sendAll(chunk)
            metrics.kafkaAcknowledged(after: ContinuousClock.now - started)
            return .acknowledged
        } catch {
            metrics.kafkaAcknowledged(after: ContinuousClock.now - started)
            return .failed("\(error)")
        }
    }
}
