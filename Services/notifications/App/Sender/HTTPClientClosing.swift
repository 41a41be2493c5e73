import AsyncHTTPClient
import ServiceLifecycle

/// Runs the sender, then shuts its HTTP client down (after the last attempt finished).
struct HTTPClientClosing: Service {
    let client: HTTPClient
    let inner: DeliveryDispatcher

    func run() async throws {
        let result: Result<Void, any Error>
        do {
            try await inner.run()
            result = .success(())
        } catch {
            result = .failure(error)
        }
        try? await client.shutdown()
        try result.get()
    }
}
