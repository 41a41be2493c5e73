import AsyncHTTPClient
import ServiceLifecycle

/// The sender as the process runs it: creates the webhook HTTP client when it starts (so a process
/// stopped before its migrations were applied never owns one), runs the ``DeliveryDispatcher`` that
/// `makeDispatcher` builds around it, and shuts the client down after the last attempt finished.
struct SenderService: Service {
    let settings: NotificationsSettings
    let makeDispatcher: @Sendable (WebhookSender) -> DeliveryDispatcher

    func run() async throws {
        let client = WebhookSender.makeClient(timeout: settings.attemptTimeout, connectionsPerHost: settings.concurrencyPerSubscription)
        let sender = WebhookSender(
            client: client, policy: settings.destinations, timeout: settings.attemptTimeout, maxResponseBytes: settings.maxResponseBytes
        )
        let result: Result<Void, any Error>
        do {
            try await makeDispatcher(sender).run()
            result = .success(())
        } catch {
            result = .failure(error)
        }
        try? await client.shutdown()
        try result.get()
    }
}
