import CRdKafka
import Dispatch
import Logging

/// The consumer's poll thread: fetches batches into the hand-off buffer while it has room, runs
/// commands (commit, pause, resume), serves rebalances through librdkafka's callback, and closes.
struct ConsumerPollLoop {
    let handle: HandleBox
    let shared: ConsumerShared
    let context: ConsumerContext
    let wakeUp: DispatchSemaphoreBox
    let batchSize: Int

    func run() {
        let queue = rd_kafka_queue_get_consumer(handle.pointer)!
        let messages = UnsafeMutablePointer<UnsafeMutablePointer<rd_kafka_message_t>?>.allocate(capacity: batchSize)
        defer { messages.deallocate() }
        var fatal: KafkaError?
        while true {
            let (commands, closing) = shared.state.withLock { state in
                defer { state.commands.removeAll() }
                return (state.commands, state.closeRequested)
            }
            for command in commands { run(command) }
            if closing { break }
            if let error = context.fatalError(of: handle.pointer) {
                fatal = error
                break
            }
            guard shared.hasRoom else {
                wakeUp.wait(milliseconds: 100)
                continue
            }
            let count = rd_kafka_consume_batch_queue(queue, 100, messages, batchSize)
            guard count > 0 else { continue }
            var records: [KafkaConsumerRecord] = []
            records.reserveCapacity(count)
            // The topic's name and the partition's epoch, looked up once per partition of the batch
            // (a batch is mostly runs of one partition) rather than a string and a lock per record.
            var current: (rkt: OpaquePointer, partition: Int32, topic: String, epoch: UInt64?)?
            for index in 0..<count {
                guard let message = messages[index] else { continue }
                defer { rd_kafka_message_destroy(message) }
                if message.pointee.err != RD_KAFKA_RESP_ERR_NO_ERROR {
                    context.consumeError(message)
                    continue
                }
                let rkt = message.pointee.rkt!, partitionNumber = message.pointee.partition
                if current?.rkt != rkt || current?.partition != partitionNumber {
                    let topic = current?.rkt == rkt ? current!.topic : String(cString: rd_kafka_topic_name(rkt))
                    current = (rkt, partitionNumber, topic, shared.epoch(of: TopicPartition(topic: topic, partition: partitionNumber)))
                }
                // A record of a partition revoked in this very batch is dropped: its next owner reads it.
                // (A revocation after the lookup is caught later: the record carries the epoch it was read under.)
                guard let current, let epoch = current.epoch else { continue }
                records.append(KafkaConsumerRecord(copying: message, topic: current.topic, epoch: epoch))
            }
            shared.deliver(records)
        }
        close(queue: queue)
        shared.finish(error: fatal)
    }

    private func run(_ command: ConsumerShared.Command) {
        switch command {
        case .commit(let continuation):
            let err = rd_kafka_commit(handle.pointer, nil, 0)
            if err == RD_KAFKA_RESP_ERR_NO_ERROR || err == RD_KAFKA_RESP_ERR__NO_OFFSET {
                continuation.resume(returning: .success(()))
            } else {
                continuation.resume(returning: .failure(KafkaError(err, operation: "commit")))
            }
        case .pause, .resume:
            var assignment: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
            guard rd_kafka_assignment(handle.pointer, &assignment) == RD_KAFKA_RESP_ERR_NO_ERROR, let assignment else { return }
            defer { rd_kafka_topic_partition_list_destroy(assignment) }
            let err: rd_kafka_resp_err_t
            if case .pause = command {
                err = rd_kafka_pause_partitions(handle.pointer, assignment)
            } else {
                err = rd_kafka_resume_partitions(handle.pointer, assignment)
            }
            if err != RD_KAFKA_RESP_ERR_NO_ERROR {
                context.logger.warning("\(KafkaError(err, operation: "pause/resume"))")
            }
        }
    }

    /// Waits for store calls in progress, commits what was stored, leaves the group, destroys librdkafka.
    private func close(queue: OpaquePointer) {
        while shared.state.withLock({ $0.activeStoreCalls }) > 0 { wakeUp.wait(milliseconds: 1) }
        let committed = rd_kafka_commit(handle.pointer, nil, 0)
        if committed != RD_KAFKA_RESP_ERR_NO_ERROR && committed != RD_KAFKA_RESP_ERR__NO_OFFSET {
            context.logger.warning("final commit failed: \(KafkaError(committed, operation: "commit"))")
        }
        let closed = rd_kafka_consumer_close(handle.pointer)
        if closed != RD_KAFKA_RESP_ERR_NO_ERROR {
            context.logger.warning("consumer close reported: \(KafkaError(closed, operation: "close"))")
        }
        rd_kafka_queue_destroy(queue)
        rd_kafka_destroy(handle.pointer)
        context.logger.debug("Kafka consumer closed")
    }
}
