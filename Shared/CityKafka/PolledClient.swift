import CRdKafka
import Logging

/// An `rd_kafka_t` with nothing to consume but its own events (logs, errors, statistics, admin
/// results that are not awaited), served by a dedicated poll thread so they never pile up.
/// Used by the admin client and by the mock cluster's host handle.
final class PolledClient: Sendable {
    let handle: HandleBox
    private let context: ClientContext
    private let pollThread: PollThread

    init(properties: [String: String], logger: Logger, clientID: String, operation: String) throws(KafkaError) {
        let context = ClientContext(logger: logger, clientID: clientID)
        let conf = try RdKafkaConf.make(properties)
        context.install(on: conf)
        let rk = try RdKafkaConf.newClient(type: RD_KAFKA_PRODUCER, conf: conf, operation: operation)
        ClientContext.routeLogs(of: rk)
        let handle = HandleBox(rk)
        self.handle = handle
        self.context = context
        self.pollThread = PollThread(name: "kafka-\(clientID)-poll") { thread in
            while !thread.isStopping { _ = rd_kafka_poll(handle.pointer, 100) }
        }
    }

    /// Stops polling and destroys the handle; call `beforeDestroy` work first.
    func shutdown(beforeDestroy: @Sendable () -> Void = {}) async {
        pollThread.stop()
        await pollThread.join()
        beforeDestroy()
        rd_kafka_destroy(handle.pointer)
    }
}
