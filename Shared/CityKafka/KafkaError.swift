import CRdKafka

/// An error raised by the Kafka layer: what librdkafka reported, where, and whether trying again can help.
///
/// `code` wraps librdkafka's `rd_kafka_resp_err_t` without exposing the C enum, so new codes in a newer
/// librdkafka never break callers. Use `isRetriable` to decide on a retry and `isFatal` to decide that
/// the client must be recreated.
public struct KafkaError: Error, Sendable, CustomStringConvertible, Equatable {
    /// librdkafka's error code (negative values are local, client-side errors; positive ones come from a broker).
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// The raw `rd_kafka_resp_err_t` value.
        public let rawValue: Int32

        public init(rawValue: Int32) { self.rawValue = rawValue }
        init(_ err: rd_kafka_resp_err_t) { self.rawValue = err.rawValue }

        /// librdkafka's symbolic name, e.g. `_MSG_TIMED_OUT` or `UNKNOWN_TOPIC_OR_PART`.
        public var name: String { String(cString: rd_kafka_err2name(rd_kafka_resp_err_t(rawValue: rawValue))) }
        public var description: String { name }

        public static let messageTimedOut = Code(RD_KAFKA_RESP_ERR__MSG_TIMED_OUT)
        public static let timedOut = Code(RD_KAFKA_RESP_ERR__TIMED_OUT)
        public static let queueFull = Code(RD_KAFKA_RESP_ERR__QUEUE_FULL)
        public static let unknownTopic = Code(RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC)
        public static let unknownTopicOrPartition = Code(RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART)
        public static let unknownPartition = Code(RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION)
        public static let allBrokersDown = Code(RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN)
        public static let transport = Code(RD_KAFKA_RESP_ERR__TRANSPORT)
        public static let fatal = Code(RD_KAFKA_RESP_ERR__FATAL)
        public static let invalidArgument = Code(RD_KAFKA_RESP_ERR__INVALID_ARG)
        public static let state = Code(RD_KAFKA_RESP_ERR__STATE)
        public static let noOffset = Code(RD_KAFKA_RESP_ERR__NO_OFFSET)
        public static let topicAlreadyExists = Code(RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS)
        public static let maxPollExceeded = Code(RD_KAFKA_RESP_ERR__MAX_POLL_EXCEEDED)
        /// Not a librdkafka code: the client was shut down while the operation waited.
        public static let shutDown = Code(RD_KAFKA_RESP_ERR__DESTROY)
        /// Not a librdkafka code: the configuration was refused before librdkafka ran.
        public static let configuration = Code(RD_KAFKA_RESP_ERR__INVALID_ARG)
    }

    /// What went wrong, as a readable sentence.
    public let code: Code
    public let message: String
    /// The operation that raised the error, e.g. `produce` or `subscribe`.
    public let operation: String
    /// True when the same operation may succeed if tried again (a broker was down, a timeout).
    public let isRetriable: Bool
    /// True when the client instance is unusable and must be recreated.
    public let isFatal: Bool

    public init(code: Code, message: String, operation: String, isRetriable: Bool = false, isFatal: Bool = false) {
        self.code = code
        self.message = message
        self.operation = operation
        self.isRetriable = isRetriable
        self.isFatal = isFatal
    }

    /// An error from a bare `rd_kafka_resp_err_t`; retriability follows librdkafka's classification of
    /// local transient conditions and broker codes that Kafka documents as retriable.
    init(_ err: rd_kafka_resp_err_t, operation: String, detail: String? = nil) {
        let code = Code(err)
        let text = String(cString: rd_kafka_err2str(err))
        self.init(
            code: code,
            message: detail.map { "\(text): \($0)" } ?? text,
            operation: operation,
            isRetriable: Self.retriableCodes.contains(code.rawValue),
            isFatal: err == RD_KAFKA_RESP_ERR__FATAL
        )
    }

    /// An error from an `rd_kafka_error_t`, which is destroyed here on every path.
    init(consuming error: OpaquePointer, operation: String) {
        defer { rd_kafka_error_destroy(error) }
        self.init(
            code: Code(rd_kafka_error_code(error)),
            message: String(cString: rd_kafka_error_string(error)),
            operation: operation,
            isRetriable: rd_kafka_error_is_retriable(error) != 0,
            isFatal: rd_kafka_error_is_fatal(error) != 0
        )
    }

    public var description: String {
        var flags: [String] = []
        if isRetriable { flags.append("retriable") }
        if isFatal { flags.append("fatal") }
        let suffix = flags.isEmpty ? "" : " (\(flags.joined(separator: ", ")))"
        return "Kafka \(operation) failed: \(code.name): \(message)\(suffix)"
    }

    private static let retriableCodes: Set<Int32> = [
        RD_KAFKA_RESP_ERR__MSG_TIMED_OUT, RD_KAFKA_RESP_ERR__TIMED_OUT, RD_KAFKA_RESP_ERR__QUEUE_FULL,
        RD_KAFKA_RESP_ERR__TRANSPORT, RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN, RD_KAFKA_RESP_ERR__TIMED_OUT_QUEUE,
        RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT, RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION,
        RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE, RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS,
        RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND, RD_KAFKA_RESP_ERR_NETWORK_EXCEPTION,
        RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE, RD_KAFKA_RESP_ERR_NOT_COORDINATOR,
        RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS, RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART,
        RD_KAFKA_RESP_ERR_BROKER_NOT_AVAILABLE,
    ].reduce(into: Set<Int32>()) { $0.insert($1.rawValue) }

    public static func == (lhs: KafkaError, rhs: KafkaError) -> Bool {
        lhs.code == rhs.code && lhs.operation == rhs.operation && lhs.message == rhs.message
    }
}

extension KafkaError.Code {
    /// The code with librdkafka's symbolic name (`NOT_LEADER_FOR_PARTITION`, `_TRANSPORT`, …), or a
    /// number; `nil` when librdkafka knows no such code.
    public init?(named name: String) {
        if let number = Int32(name) {
            self.init(rawValue: number)
            return
        }
        var descriptions: UnsafePointer<rd_kafka_err_desc>?
        var count = 0
        rd_kafka_get_err_descs(&descriptions, &count)
        guard let descriptions else { return nil }
        let wanted = name.uppercased()
        for index in 0..<count {
            guard let raw = descriptions[index].name else { continue }
            let candidate = String(cString: raw)
            if candidate == wanted {
                self.init(descriptions[index].code)
                return
            }
        }
        return nil
    }
}
