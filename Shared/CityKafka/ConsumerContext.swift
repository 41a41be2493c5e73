import CRdKafka
import Dispatch
import Foundation
import Logging

/// The consumer's callback target: serves rebalances (seeking to external offsets where the
/// application owns them) and reports consume errors.
final class ConsumerContext: ClientContext, @unchecked Sendable {
    // @unchecked: all members are immutable or Sendable; callbacks run on the poll thread only.
    let shared: ConsumerShared
    let events: AsyncStream<KafkaConsumerEvent>.Continuation
    let offsetStorage: KafkaConsumerConfiguration.OffsetStorage
    let resetPolicy: KafkaConsumerConfiguration.ResetPolicy

    init(
        logger: Logger, clientID: String, shared: ConsumerShared,
        events: AsyncStream<KafkaConsumerEvent>.Continuation,
        offsetStorage: KafkaConsumerConfiguration.OffsetStorage,
        resetPolicy: KafkaConsumerConfiguration.ResetPolicy
    ) {
        self.shared = shared
        self.events = events
        self.offsetStorage = offsetStorage
        self.resetPolicy = resetPolicy
        super.init(logger: logger, clientID: clientID)
    }

    override func clientError(_ error: KafkaError) {
        super.clientError(error)
        events.yield(.error(error))
    }

    func consumeError(_ message: UnsafeMutablePointer<rd_kafka_message_t>) {
        let detail: String? = message.pointee.payload.map {
            String(decoding: UnsafeRawBufferPointer(start: $0, count: message.pointee.len), as: UTF8.self)
        }
        let error = KafkaError(message.pointee.err, operation: "consume", detail: detail)
        logger.warning("\(error)")
        events.yield(.error(error))
    }

    func fatalError(of rk: OpaquePointer) -> KafkaError? {
        var buffer = [CChar](repeating: 0, count: 512)
        let err = rd_kafka_fatal_error(rk, &buffer, buffer.count)
        guard err != RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
        let reason = cString(buffer)
        var error = KafkaError(err, operation: "consume", detail: reason)
        error = KafkaError(code: error.code, message: error.message, operation: "consume", isRetriable: false, isFatal: true)
        return error
    }

    /// librdkafka's rebalance callback, on the poll thread.
    func rebalance(_ rk: OpaquePointer, _ err: rd_kafka_resp_err_t, _ list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) {
        let cooperative = String(cString: rd_kafka_rebalance_protocol(rk)) == "COOPERATIVE"
        let partitions = PartitionList.partitions(of: list)
        switch err {
        case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
            if case .external(let provider, _) = offsetStorage {
                applyExternalOffsets(provider, to: list, partitions: partitions)
            }
            shared.assign(partitions)
            if cooperative {
                if let error = rd_kafka_incremental_assign(rk, list) {
                    logger.error("\(KafkaError(consuming: error, operation: "incremental assign"))")
                }
            } else {
                let result = rd_kafka_assign(rk, list)
                if result != RD_KAFKA_RESP_ERR_NO_ERROR { logger.error("\(KafkaError(result, operation: "assign"))") }
            }
            logger.info("partitions assigned", metadata: ["partitions": "\(partitions.map(\.description).joined(separator: ","))"])
            events.yield(.assigned(partitions))
        case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
            // Commit what was processed before the partitions go, and forget records not yet handed out.
            shared.revoke(partitions)
            let committed = rd_kafka_commit(rk, nil, 0)
            if committed != RD_KAFKA_RESP_ERR_NO_ERROR && committed != RD_KAFKA_RESP_ERR__NO_OFFSET {
                logger.warning("commit before revoke failed: \(KafkaError(committed, operation: "commit"))")
            }
            if cooperative {
                if let error = rd_kafka_incremental_unassign(rk, list) {
                    logger.error("\(KafkaError(consuming: error, operation: "incremental unassign"))")
                }
            } else {
                _ = rd_kafka_assign(rk, nil)
            }
            logger.info("partitions revoked", metadata: ["partitions": "\(partitions.map(\.description).joined(separator: ","))"])
            events.yield(.revoked(partitions))
        default:
            logger.error("rebalance failed: \(KafkaError(err, operation: "rebalance"))")
            if cooperative {
                if let error = rd_kafka_incremental_unassign(rk, list) { rd_kafka_error_destroy(error) }
            } else {
                _ = rd_kafka_assign(rk, nil)
            }
        }
    }

    /// Asks the application for the partitions' offsets and writes them into the assignment list.
    /// The poll thread waits for the answer (it is our own thread, not the cooperative pool) and
    /// retries while the application's store is unavailable.
    private func applyExternalOffsets(
        _ provider: any ExternalOffsetProvider,
        to list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>,
        partitions: [TopicPartition]
    ) {
        var attempt = 0
        while true {
            let answer = ExternalOffsetAnswer()
            let done = DispatchSemaphore(value: 0)
            // Owned by this thread, which waits for it to finish before going on.
            Task {
                do { answer.set(.success(try await provider.offsets(for: partitions))) } catch { answer.set(.failure(error)) }
                done.signal()
            }
            done.wait()
            switch answer.get() {
            case .success(let offsets):
                let fallback = resetPolicy == .earliest ? Int64(RD_KAFKA_OFFSET_BEGINNING) : Int64(RD_KAFKA_OFFSET_END)
                for index in 0..<Int(list.pointee.cnt) {
                    let partition = partitions[index]
                    list.pointee.elems[index].offset = offsets[partition] ?? fallback
                }
                return
            case .failure(let error):
                attempt += 1
                logger.error("external offsets unavailable, retrying", metadata: ["error": "\(error)", "attempt": "\(attempt)"])
                if shared.state.withLock({ $0.closeRequested }) {
                    // Closing anyway: start nowhere new; the records are read again by the next owner.
                    for index in 0..<Int(list.pointee.cnt) { list.pointee.elems[index].offset = Int64(RD_KAFKA_OFFSET_END) }
                    return
                }
                Thread.sleepWithinPoll(milliseconds: min(5_000, 200 * attempt))
            }
        }
    }
}

/// The provider's answer, handed from the task to the waiting poll thread.
private final class ExternalOffsetAnswer: @unchecked Sendable {
    // @unchecked: written once by the task before the semaphore signal, read after the wait.
    private var value: Result<[TopicPartition: Int64], any Error> = .success([:])
    func set(_ value: Result<[TopicPartition: Int64], any Error>) { self.value = value }
    func get() -> Result<[TopicPartition: Int64], any Error> { value }
}
