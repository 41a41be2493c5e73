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
    let queued: Doorbell
    let settings: NotificationsSettings
    let logger: Logger
    let metrics = DeliveryMetrics()

    private enum Finished: Sendable {
        case delivery(UUID)
        case tick
        case rang
    }

    /// A claimed delivery is held this long: the attempt's deadline plus time to record the outcome.
    private var lease: Duration { settings.attemptTimeout + .seconds(15) }

    /// Claims run when the fan-out rings, when the poll interval ticks, when nothing is in flight, and
    /// after attempts finished — at once when this many finished since the last claim, otherwise
    /// once `claimSpacing` — and at least three times what the last claim took — has passed since
    /// it. The next delivery of a key becomes due only when the previous one is recorded, so a claim
    /// soon after a finish keeps each key's turn short, while the spacing keeps a busy sender from
    /// claiming once per delivery and the database from spending more than a third of its time on
    /// claims.
    private var claimBatch: Int { max(1, settings.concurrency / 4) }
    private static let claimSpacing = Duration.milliseconds(25)

    func run() async throws {
        try? await cancelWhenGracefulShutdown { try await replica.waitUntilCaughtUp() }
        guard !Task.isShuttingDownGracefully && !Task.isCancelled else { return }
        await withTaskGroup(of: Finished.self) { group in
            var busy: [UUID: Int] = [:]
            var inFlight = 0
            var ticking = false
            var listening = false
            var claimNow = true
            var finishedSinceClaim = 0
            var lastClaim = ContinuousClock.now
            var finishedSubscriptions: Set<UUID> = []
            var lastClaimTook = Duration.zero
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                let room = settings.concurrency - inFlight
                let spacing = max(Self.claimSpacing, lastClaimTook * 3)
                let finishedAWhileAgo = finishedSinceClaim > 0 && ContinuousClock.now - lastClaim >= spacing
                if room > 0 && (claimNow || inFlight == 0 || finishedSinceClaim >= claimBatch || finishedAWhileAgo) {
                    // Between polls and rings only the subscriptions whose attempts finished can have
                    // a new delivery due (the next of a key); the others wait for the next poll.
                    let only = claimNow || inFlight == 0 ? nil : Array(finishedSubscriptions)
                    lastClaim = ContinuousClock.now
                    claimNow = false
                    finishedSinceClaim = 0
                    finishedSubscriptions = []
                    let claimed = await claim(room: room, busy: busy, only: only)
                    lastClaimTook = ContinuousClock.now - lastClaim
                    for delivery in claimed {
                        busy[delivery.subscriptionId, default: 0] += 1
                        inFlight += 1
                        group.addTask { await attempt(delivery) }
                    }
                    metrics.inFlight(inFlight)
                }
                if !ticking {
                    ticking = true
                    let interval = settings.pollInterval
                    group.addTask {
                        await cancelWhenGracefulShutdown { try? await Task.sleep(for: interval) }
                        return .tick
                    }
                }
                if !listening {
                    listening = true
                    group.addTask { [queued] in
                        _ = await cancelWhenGracefulShutdown { await queued.nextRing() }
                        return .rang
                    }
                }
                guard let finished = await group.next() else { continue }
                switch finished {
                case .tick:
                    ticking = false
                    claimNow = true
                    await releaseHeld()
                case .rang:
                    listening = false
                    claimNow = true
                case .delivery(let id):
                    inFlight -= 1
                    metrics.inFlight(inFlight)
                    finishedSinceClaim += 1
                    finishedSubscriptions.insert(id)
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

    private func claim(room: Int, busy: [UUID: Int], only: [UUID]?) async -> [ClaimedDelivery] {
        let started = ContinuousClock.now
        do {
            let claimed = try await deliveries.claim(limit: room, perSubscription: settings.concurrencyPerSubscription, busy: busy, only: only, lease: lease)
            metrics.claimed(claimed.count, after: ContinuousClock.now - started)
            return claimed
        } catch {
            logger.error("cannot claim deliveries; retrying at the next poll", metadata: ["error": "\(String(reflecting: error))"])
            return []
        }
    }

    private func attempt(_ delivery: ClaimedDelivery) async -> Finished {
        do {
            guard replica.state.isVisible(datasetId: delivery.datasetId, to: delivery.agencyId) else {
                try await recorder.recordForbidden(delivery)
                metrics.forbiddenDropped()
                logger.info(
                    "delivery dropped: the agency may no longer see the dataset",
                    metadata: ["webhook_id": "\(delivery.id)", "dataset": "\(delivery.datasetId)", "agency": "\(delivery.agencyId)"]
                )
                return .delivery(delivery.subscriptionId)
            }
            let time = Timestamp.now()
            let body = Array(delivery.body.utf8)
            let headers = WebhookSigner.sign(messageID: delivery.id, time: time, body: body, keys: delivery.keys)
            let sending = ContinuousClock.now
            let result = await sender.send(to: delivery.url, body: body, headers: headers)
            metrics.attempted(result, after: ContinuousClock.now - sending)
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
