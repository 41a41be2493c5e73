import CRdKafka
import Logging
import Synchronization

/// Sends records to Kafka and returns only once the broker acknowledged them.
///
/// Durable by default: idempotent with `acks=all`. When librdkafka's local queue is full a send waits
/// for deliveries to free room (no record is dropped, no busy loop). A dedicated thread serves
/// librdkafka's delivery reports, logs and statistics. Call `shutdown()` before releasing the producer:
/// it flushes outstanding records within `flushTimeout` and fails the ones that could not be sent.
///
/// A send is not cancellable: once enqueued, a record is delivered or fails within `deliveryTimeout`,
/// and the caller is told which.
public final class KafkaProducer: Sendable {
    private let handle: HandleBox
    private let context: ProducerContext
    private let pollThread: PollThread
    private let gate = AdmissionGate()
    private let topicHandles = TopicHandleCache()
    private let flushTimeout: Duration
    private let logger: Logger

    public init(configuration: KafkaProducerConfiguration, logger: Logger) throws(KafkaError) {
        let context = ProducerContext(logger: logger, clientID: configuration.client.clientID)
        let conf = try RdKafkaConf.make(configuration.librdkafkaProperties)
        context.install(on: conf)
        rd_kafka_conf_set_dr_msg_cb(conf) { _, message, _ in
            guard let message, let opaque = message.pointee._private else { return }
            let (tracker, index) = DeliveryTracker.resolve(opaque)
            let raw = message.pointee
            if raw.err == RD_KAFKA_RESP_ERR_NO_ERROR {
                tracker.delivered(index: index, partition: raw.partition, offset: raw.offset)
            } else {
                tracker.failed(index: index, error: KafkaError(raw.err, operation: "produce"))
            }
        }
        let rk = try RdKafkaConf.newClient(type: RD_KAFKA_PRODUCER, conf: conf, operation: "create producer")
        ClientContext.routeLogs(of: rk)
        self.handle = HandleBox(rk)
        self.context = context
        self.flushTimeout = configuration.flushTimeout
        self.logger = logger
        let capacity = context.capacity
        let gate = self.gate
        let flushTimeout = configuration.flushTimeout
        let topicHandles = self.topicHandles
        self.pollThread = PollThread(name: "kafka-producer-poll") { [handle, context] thread in
            while !thread.isStopping {
                if rd_kafka_poll(handle.pointer, 100) > 0 { capacity.advance() }
            }
            // Shutdown: no new sends are admitted; wait for calls already inside produce to leave.
            while gate.activeCalls > 0 { _ = rd_kafka_poll(handle.pointer, 1) }
            let flushResult = rd_kafka_flush(handle.pointer, Int32(clamping: flushTimeout.milliseconds))
            if flushResult != RD_KAFKA_RESP_ERR_NO_ERROR {
                let remaining = rd_kafka_outq_len(handle.pointer)
                context.logger.error("Kafka producer flush timed out; failing \(remaining) unsent records")
                _ = rd_kafka_purge(handle.pointer, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT)
                _ = rd_kafka_poll(handle.pointer, 0)  // deliver the purge reports to waiting callers
            }
            capacity.advance()
            topicHandles.destroyAll()
            rd_kafka_destroy(handle.pointer)
        }
    }

    /// Sends one record and returns where the broker wrote it.
    public func send(_ record: KafkaProducerRecord) async throws(KafkaError) -> KafkaDeliveryReport {
        try await send([record])[0].get()
    }

    /// Sends many records at once, for throughput, and returns each record's outcome in order.
    /// The call returns when every record was acknowledged or failed.
    public func send(_ records: [KafkaProducerRecord]) async -> [Result<KafkaDeliveryReport, KafkaError>] {
        guard !records.isEmpty else { return [] }
        let tracker = DeliveryTracker(count: records.count)
        await enqueue(records, tracker: tracker)
        return await tracker.results { records[$0].topic }
    }

    /// Sends many records at once and returns when every one was acknowledged, or throws the first
    /// failure (in record order) once every record has an outcome — for callers that need all or
    /// nothing and no offsets (no report is built per record).
    public func sendAll(_ records: [KafkaProducerRecord]) async throws(KafkaError) {
        guard !records.isEmpty else { return }
        let tracker = DeliveryTracker(count: records.count)
        await enqueue(records, tracker: tracker)
        if let failure = await tracker.firstFailure() { throw failure }
    }

    /// Hands every record to librdkafka (waiting for room when its queue is full) or fails it in
    /// `tracker`; outcomes arrive in `tracker`.
    private func enqueue(_ records: [KafkaProducerRecord], tracker: DeliveryTracker) async {
        var index = records.startIndex
        // Admitted once per stretch of records, not per record; the gate is left while waiting for room.
        while index < records.endIndex {
            guard admit() else {
                let error = KafkaError(code: .shutDown, message: "the producer was shut down", operation: "produce")
                for failedIndex in index..<records.endIndex { tracker.failed(index: failedIndex, error: error) }
                break
            }
            var queueFull = false
            var topicName = ""
            var topic: OpaquePointer?
            while index < records.endIndex {
                if topic == nil || records[index].topic != topicName {
                    topicName = records[index].topic
                    topic = topicHandles.handle(for: topicName, client: handle.pointer)
                }
                let err = produce(records[index], topic: topic!, opaque: tracker.opaque(for: index))
                if err == RD_KAFKA_RESP_ERR__QUEUE_FULL {
                    queueFull = true
                    break
                }
                if err != RD_KAFKA_RESP_ERR_NO_ERROR {
                    tracker.failed(index: index, error: KafkaError(err, operation: "produce", detail: "topic \(records[index].topic)"))
                }
                index += 1
            }
            if queueFull {
                // Note the generation, try once more (a delivery may have freed room since), and only
                // then wait for the poll thread to serve deliveries: no busy loop, no lost wake-up.
                let generation = context.capacity.generation
                let retry = produce(records[index], topic: topic!, opaque: tracker.opaque(for: index))
                leave()
                if retry == RD_KAFKA_RESP_ERR__QUEUE_FULL {
                    await context.capacity.wait(after: generation)
                } else {
                    if retry != RD_KAFKA_RESP_ERR_NO_ERROR {
                        tracker.failed(index: index, error: KafkaError(retry, operation: "produce", detail: "topic \(records[index].topic)"))
                    }
                    index += 1
                }
            } else {
                leave()
            }
        }
    }

    /// Flushes outstanding records (bounded by `flushTimeout`), fails what remains, and releases
    /// librdkafka. Later sends fail with `KafkaError.Code.shutDown`.
    public func shutdown() async {
        gate.close()
        pollThread.stop()
        await pollThread.join()
    }

    /// Number of records librdkafka still holds (queued or in flight).
    public var outstandingRecords: Int {
        guard admit() else { return 0 }
        defer { leave() }
        return Int(rd_kafka_outq_len(handle.pointer))
    }

    // MARK: - Enqueueing

    private func admit() -> Bool { gate.admit() }
    private func leave() { gate.leave() }

    /// One non-blocking `rd_kafka_produceva` by topic handle; librdkafka copies key, value and headers
    /// (RD_KAFKA_MSG_F_COPY is produceva's default).
    private func produce(_ record: borrowing KafkaProducerRecord, topic: OpaquePointer, opaque: UnsafeMutableRawPointer) -> rd_kafka_resp_err_t {
        withOptionalBytes(record.key) { key in
            withOptionalBytes(record.value) { value in
                HeaderScratch.with(record.headers) { headers in
                    withUnsafeTemporaryAllocation(of: rd_kafka_vu_t.self, capacity: 5 + headers.count) { vus in
                        var n = 0
                        vus[n].vtype = RD_KAFKA_VTYPE_RKT; vus[n].u.rkt = topic; n += 1
                        if let partition = record.partition {
                            vus[n].vtype = RD_KAFKA_VTYPE_PARTITION; vus[n].u.i32 = partition; n += 1
                        }
                        vus[n].vtype = RD_KAFKA_VTYPE_KEY
                        vus[n].u.mem.ptr = UnsafeMutableRawPointer(mutating: key.baseAddress); vus[n].u.mem.size = key.count; n += 1
                        vus[n].vtype = RD_KAFKA_VTYPE_VALUE
                        vus[n].u.mem.ptr = UnsafeMutableRawPointer(mutating: value.baseAddress); vus[n].u.mem.size = value.count; n += 1
                        for header in headers {
                            vus[n].vtype = RD_KAFKA_VTYPE_HEADER
                            vus[n].u.header.name = header.name
                            vus[n].u.header.val = header.value
                            vus[n].u.header.size = header.size
                            n += 1
                        }
                        vus[n].vtype = RD_KAFKA_VTYPE_OPAQUE; vus[n].u.ptr = opaque; n += 1
                        guard let error = rd_kafka_produceva(handle.pointer, vus.baseAddress, n) else { return RD_KAFKA_RESP_ERR_NO_ERROR }
                        let code = rd_kafka_error_code(error)
                        rd_kafka_error_destroy(error)
                        return code
                    }
                }
            }
        }
    }
}

/// The producer's callback target: adds the queue-capacity signal to the shared client context.
final class ProducerContext: ClientContext, @unchecked Sendable {
    let capacity = CapacitySignal()
}

/// An `rd_kafka_t` pointer that may cross threads; librdkafka's handle is thread-safe.
struct HandleBox: @unchecked Sendable {
    let pointer: OpaquePointer
    init(_ pointer: OpaquePointer) { self.pointer = pointer }
}

/// Calls `body` with the bytes of `bytes`, or with an empty buffer whose base address is nil for `nil`
/// (librdkafka reads a nil pointer as "no key" / "null value", an empty array as zero bytes).
@inline(__always)
func withOptionalBytes<R>(_ bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer) -> R) -> R {
    guard let bytes else { return body(UnsafeRawBufferPointer(start: nil, count: 0)) }
    if bytes.isEmpty {
        // A non-nil pointer with size 0 distinguishes an empty value from a null one.
        var zero: UInt8 = 0
        return withUnsafeBytes(of: &zero) { body(UnsafeRawBufferPointer(start: $0.baseAddress, count: 0)) }
    }
    return bytes.withUnsafeBytes(body)
}

/// Lays header names (NUL-terminated) and values out in one temporary buffer for `rd_kafka_produceva`.
enum HeaderScratch {
    struct Entry {
        var name: UnsafePointer<CChar>
        var value: UnsafeRawPointer?
        var size: Int
    }

    /// Calls `body` with the entries of `headers`, names and values copied into stack memory (no
    /// allocation per record). The headers are read in place (no copy of each header, no retain).
    static func with<R>(_ headers: [KafkaHeader], _ body: (UnsafeBufferPointer<Entry>) -> R) -> R {
        headers.withUnsafeBufferPointer { headers in
            if headers.isEmpty { return body(UnsafeBufferPointer(start: nil, count: 0)) }
            var total = 0
            for index in headers.indices { total += headers[index].name.utf8.count + 1 + (headers[index].value?.count ?? 0) }
            return withUnsafeTemporaryAllocation(of: Entry.self, capacity: headers.count) { entries in
                withUnsafeTemporaryAllocation(byteCount: max(total, 1), alignment: 1) { buffer in
                    var cursor = 0
                    for index in headers.indices {
                        let nameStart = cursor
                        cursor += copy(headers[index].name.utf8, to: buffer, at: cursor)
                        buffer[cursor] = 0; cursor += 1
                        let namePointer = UnsafeRawPointer(buffer.baseAddress! + nameStart).assumingMemoryBound(to: CChar.self)
                        let valueStart = cursor
                        // `nil` for a NULL value (size 0); -1 would mean strlen.
                        let size = headers[index].value.map { cursor += copy($0, to: buffer, at: cursor); return $0.count }
                        let value = size.map { _ in UnsafeRawPointer(buffer.baseAddress! + valueStart) }
                        entries.initializeElement(at: index, to: Entry(name: namePointer, value: value, size: size ?? 0))
                    }
                    return body(UnsafeBufferPointer(rebasing: entries[0..<headers.count]))
                }
            }
        }
    }

    /// Copies `bytes` into `buffer` at `offset` (one block copy when they are contiguous); returns how many.
    private static func copy<Bytes: Collection<UInt8>>(_ bytes: Bytes, to buffer: UnsafeMutableRawBufferPointer, at offset: Int) -> Int {
        let copied = bytes.withContiguousStorageIfAvailable { source -> Int in
            guard let base = source.baseAddress, !source.isEmpty else { return 0 }
            (buffer.baseAddress! + offset).copyMemory(from: base, byteCount: source.count)
            return source.count
        }
        if let copied { return copied }
        var cursor = offset
        for byte in bytes { buffer[cursor] = byte; cursor += 1 }
        return cursor - offset
    }
}

/// Admits calls into librdkafka while the client is open and counts those in progress, so that the
/// handle is destroyed only after the last call left.
final class AdmissionGate: Sendable {
    private struct State {
        var open = true
        var activeCalls = 0
    }

    private let state = Mutex(State())

    func admit() -> Bool {
        state.withLock { state in
            guard state.open else { return false }
            state.activeCalls += 1
            return true
        }
    }

    func leave() { state.withLock { $0.activeCalls -= 1 } }
    func close() { state.withLock { $0.open = false } }
    var activeCalls: Int { state.withLock { $0.activeCalls } }
}

/// librdkafka topic handles by name, created on first use and destroyed with the producer: producing by
/// handle (`RD_KAFKA_VTYPE_RKT`) spares librdkafka a locked lookup of the topic name on every record.
final class TopicHandleCache: Sendable {
    private struct Handles: @unchecked Sendable {
        // @unchecked: topic handles are thread-safe librdkafka objects.
        var byName: [String: HandleBox] = [:]
    }

    private let handles = Mutex(Handles())

    func handle(for topic: String, client: OpaquePointer) -> OpaquePointer {
        handles.withLock { state in
            if let existing = state.byName[topic] { return existing }
            let created = HandleBox(rd_kafka_topic_new(client, topic, nil)!)
            state.byName[topic] = created
            return created
        }.pointer
    }

    func destroyAll() {
        let all = handles.withLock { state in
            defer { state.byName.removeAll() }
            return Array(state.byName.values)
        }
        for topic in all { rd_kafka_topic_destroy(topic.pointer) }
    }
}
