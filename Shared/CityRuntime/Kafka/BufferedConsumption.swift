import CityKafka
import ServiceLifecycle

/// Runs a consumer's handling loop `body` over a `RecordBuffer` fed from `kafka`, the shared skeleton
/// of the consumer services: on graceful shutdown or cancellation the buffer closes, so `body` returns
/// at its next record or batch boundary; then — also when `body` throws — the consumer is closed,
/// which commits the offsets `body` stored and leaves the group.
func consumeBuffered(_ kafka: KafkaConsumer, capacity: Int, _ body: (RecordBuffer) async throws -> Void) async throws {
    let buffer = RecordBuffer(capacity: capacity)
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await buffer.fill(from: kafka) }
        let outcome: Result<Void, any Error>
        do {
            try await withGracefulShutdownHandler {
                try await withTaskCancellationHandler {
                    try await body(buffer)
                } onCancel: {
                    buffer.close()
                }
            } onGracefulShutdown: {
                buffer.close()
            }
            outcome = .success(())
        } catch {
            outcome = .failure(error)
        }
        buffer.close()
        await kafka.close()
        try await group.waitForAll()
        try outcome.get()
    }
}
