import AsyncHTTPClient
import CityEvents
import CityRuntime
import Foundation
import Logging
import NotificationsCore
import ServiceLifecycle

/// The sender, as a lifecycle service: claims due deliveries from the queue and makes the attempts
/// concurrently — at most `concurrency` in this process and `concurrencyPerSubscription` per
/// subscription, so a slow or dead endpoint holds a bounded number of slots and every other
/// subscription keeps flowing. Before sending it checks again that the subscribing agency may see
/// the event's dataset (a revoked grant drops the delivery as `forbidden`). On graceful shutdown it
/// stops claiming and lets the attempts in flight finish.
struct DeliveryDispatcher: Service {
    let deliveries: DeliveryStore
    let recorder: OutcomeRecorder
    let sender: WebhookSender
    let replica: CatalogReplica
    let settings: NotificationsSettings
    let logger: Logger

    private enum Finished: Sendable {
        case delivery(UUID)
        case tick
    }

    /// A claimed delivery is held this long: the attempt's deadline plus time to record the outcome.
    private var lease: Duration { settings.attemptTimeout + .seconds(15) }

    /// Claims run when the poll interval ticks, when nothing is in flight, or once this many attempts
    /// finished since the last claim — so a busy sender claims in batches, not once per delivery.
    private var claimBatch: Int { max(1, settings.concurrency / 4) }

    func run() async throws {
        try? await cancelWhenGracefulShutdown { try await replica.waitUntilCaughtUp() }
        guard !Task.isShuttingDownGracefully && !Task.isCancelled else { return }
        await withTaskGroup(of: Finished.self) { group in
            var busy: [UUID: Int] = [:]
            var inFlight = 0
            var ticking = false
            var claimNow = true
            var finishedSinceClaim = 0
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                let room = settings.concurrency - inFlight
                if room > 0 && (claimNow || inFlight == 0 || finishedSinceClaim >= claimBatch) {
                    claimNow = false
                    finishedSinceClaim = 0
                    let claimed = await claim(room: room, busy: busy)
                    for delivery in claimed {
                        busy[delivery.subscriptionId, default: 0] += 1
                        inFlight += 1
                        group.addTask { await attempt(delivery) }
                    }
                }
                if !ticking {
                    ticking = true
                    let interval = settings.pollInterval
                    group.addTask {
                        await cancelWhenGracefulShutdown { try? await Task.sleep(for: interval) }
                        return .tick
                    }
                }
                guard let finished = await group.next() else { continue }
                switch finished {
                case .tick:
                    ticking = false
                    claimNow = true
                    await releaseHeld()
                case .delivery(let id):
                    inFlight -= 1
                    finishedSinceClaim += 1
                    let left = (busy[id] ?? 1) - 1
                    busy[id] = left > 0 ? left : nil
                }
            }
            await group.waitForAll()
        }
    }

    /// Turns throttled deliveries whose interval has ended into `pending` ones (any replica may).
    private func releaseHeld() async {
        do {
            _ = try await ThrottleStore.releaseDue(limit: 500, postgres: deliveries.postgres, logger: logger)
        } catch {
            logger.error("cannot release throttled deliveries; retrying at the next poll", metadata: ["error": "\(String(reflecting: error))"])
        }
    }

    private func claim(room: Int, busy: [UUID: Int]) async -> [ClaimedDelivery] {
        do {
            return try await deliveries.claim(limit: room, perSubscription: settings.concurrencyPerSubscription, busy: busy, lease: lease)
        } catch {
            logger.error("cannot claim deliveries; retrying at the next poll", metadata: ["error": "\(String(reflecting: error))"])
            return []
        }
    }

    private func attempt(_ delivery: ClaimedDelivery) async -> Finished {
        do {
            guard replica.state.isVisible(datasetId: delivery.datasetId, to: delivery.agencyId) else {
                try await recorder.recordForbidden(delivery)
                logger.info(
                    "delivery dropped: the agency may no longer see the dataset",
                    metadata: ["webhook_id": "\(delivery.id)", "dataset": "\(delivery.datasetId)", "agency": "\(delivery.agencyId)"]
                )
                return .delivery(delivery.subscriptionId)
            }
            let time = Timestamp.now()
            let body = Array(delivery.body.utf8)
            let headers = WebhookSigner.sign(messageID: delivery.id, time: time, body: body, keys: delivery.keys)
            let result = await sender.send(to: delivery.url, body: body, headers: headers)
            try await recorder.record(delivery, result: result, at: .now())
        } catch {
            logger.error(
                "cannot record a delivery's outcome; it is retried when its lease ends",
                metadata: ["webhook_id": "\(delivery.id)", "error": "\(String(reflecting: error))"]
            )
        }
        return .delivery(delivery.subscriptionId)
    }
}
