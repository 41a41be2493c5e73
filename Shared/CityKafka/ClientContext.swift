import CRdKafka
import Logging

/// The Swift object behind librdkafka's `opaque` pointer: it receives every callback librdkafka makes
/// for one client (logs, errors, statistics) and forwards them to swift-log and swift-metrics.
///
/// Callbacks run on the client's poll thread (never on Swift's cooperative pool). The context must
/// outlive the `rd_kafka_t`; owners destroy the handle before releasing it.
class ClientContext: @unchecked Sendable {
    // @unchecked: immutable after init except through the thread-safe metric objects.
    let logger: Logger
    let statistics: KafkaStatisticsReporter

    init(logger: Logger, clientID: String) {
        self.logger = logger
        self.statistics = KafkaStatisticsReporter(clientID: clientID)
    }

    /// Installs the log, error and statistics callbacks and makes this object the conf's opaque.
    func install(on conf: OpaquePointer) {
        rd_kafka_conf_set_opaque(conf, Unmanaged.passUnretained(self).toOpaque())
        rd_kafka_conf_set_log_cb(conf) { rk, level, facility, buffer in
            guard let rk, let opaque = rd_kafka_opaque(rk) else { return }
            let context = Unmanaged<ClientContext>.fromOpaque(opaque).takeUnretainedValue()
            context.log(level: level, facility: facility.map { String(cString: $0) } ?? "", message: buffer.map { String(cString: $0) } ?? "")
        }
        rd_kafka_conf_set_error_cb(conf) { _, err, reason, opaque in
            guard let opaque else { return }
            let context = Unmanaged<ClientContext>.fromOpaque(opaque).takeUnretainedValue()
            context.clientError(KafkaError(rd_kafka_resp_err_t(rawValue: err), operation: "client", detail: reason.map { String(cString: $0) }))
        }
        rd_kafka_conf_set_stats_cb(conf) { _, json, length, opaque in
            guard let opaque, let json else { return 0 }
            let context = Unmanaged<ClientContext>.fromOpaque(opaque).takeUnretainedValue()
            context.statistics.report(UnsafeRawBufferPointer(start: json, count: length))
            return 0  // 0: librdkafka frees the JSON buffer.
        }
    }

    /// Connects librdkafka's log queue to the main queue that the poll thread serves.
    static func routeLogs(of handle: OpaquePointer) {
        _ = rd_kafka_set_log_queue(handle, nil)
    }

    func log(level: Int32, facility: String, message: String) {
        // syslog levels: 0 emerg … 3 err, 4 warning, 5 notice, 6 info, 7 debug
        let swiftLevel: Logger.Level
        switch level {
        case ...3: swiftLevel = .error
        case 4: swiftLevel = .warning
        case 5, 6: swiftLevel = .info
        default: swiftLevel = .debug
        }
        logger.log(level: swiftLevel, "\(message)", metadata: ["kafka.facility": "\(facility)"])
    }

    /// Called for client-level errors (a broker unreachable, a fatal idempotence error). Subclasses
    /// override to fail waiting callers on fatal errors.
    func clientError(_ error: KafkaError) {
        // Transport errors while a broker restarts are routine: librdkafka reconnects by itself.
        let level: Logger.Level = error.isFatal ? .critical : (error.isRetriable ? .info : .warning)
        logger.log(level: level, "\(error.description)")
        statistics.countError(error)
    }
}
