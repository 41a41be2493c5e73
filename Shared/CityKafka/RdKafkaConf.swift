import CRdKafka

/// Builds an `rd_kafka_conf_t` from string properties, turning librdkafka's refusal into a `KafkaError`.
enum RdKafkaConf {
    /// A new conf handle with every property set; the caller owns it until `rd_kafka_new` takes it.
    static func make(_ properties: [String: String]) throws(KafkaError) -> OpaquePointer {
        guard let conf = rd_kafka_conf_new() else {
            throw KafkaError(code: .configuration, message: "rd_kafka_conf_new returned nil", operation: "configure")
        }
        var errorBuffer = [CChar](repeating: 0, count: 512)
        for (key, value) in properties.sorted(by: { $0.key < $1.key }) {
            let result = rd_kafka_conf_set(conf, key, value, &errorBuffer, errorBuffer.count)
            if result != RD_KAFKA_CONF_OK {
                rd_kafka_conf_destroy(conf)
                let reason = cString(errorBuffer)
                throw KafkaError(
                    code: .configuration,
                    message: "property \(key) refused: \(reason)",
                    operation: "configure"
                )
            }
        }
        return conf
    }

    /// Creates the client; on failure librdkafka leaves `conf` with us, so it is destroyed here.
    static func newClient(type: rd_kafka_type_t, conf: OpaquePointer, operation: String) throws(KafkaError) -> OpaquePointer {
        var errorBuffer = [CChar](repeating: 0, count: 512)
        guard let handle = rd_kafka_new(type, conf, &errorBuffer, errorBuffer.count) else {
            rd_kafka_conf_destroy(conf)
            let reason = cString(errorBuffer)
            throw KafkaError(code: .configuration, message: reason, operation: operation)
        }
        return handle
    }
}

/// The text of a NUL-terminated C string buffer that librdkafka filled.
func cString(_ buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
