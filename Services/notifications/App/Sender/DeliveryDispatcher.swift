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
/// subscription keeps flowing. It claims up to `prefetch` deliveries ahead of free slots and holds
/// them in memory (`HeldDeliveries`), so that a finished attempt is followed by the next at once;
/// one held longer than `holdLimit` is handed back unattempted. Before sending it checks again that
/// the subscribing agency may see the event's dataset (a revoked grant drops the delivery as
/// `forbidden`). On graceful shutdown it stops claiming, hands back what waits, and lets the attempts
/// in flight finish.
struct DeliveryDispatcher: Service {
    let deliveries: DeliveryStore
    let recorder: OutcomeRecorder
    let sender: WebhookSender
    let replica: CatalogReplica
    /// Rung by the fan-out when it has committed a batch of deliveries, so that they are claimed at
    /// once instead of at the next poll. Only this process's sender hears it; other replicas find the
    /// rows at their next poll (`DELIVERY_POLL_INTERVAL_SECONDS`).
    let queued: WakeSignal
    let settings: NotificationsSettings
    let logger: Logger
    let metrics = DeliveryMetrics()

    private enum Finished: Sendable {
        /// The HTTP attempt ended (its slot is free); `result` is to be recorded (nil: nothing to record).
        case attempted(ClaimedDelivery, AttemptResult?)
        /// The outcome of a delivery of this subscription is recorded: the next of its key may be due.
        case recorded(UUID)
        case tick
        case rang
    }

    /// How long a claimed delivery may wait in memory for a slot before it is handed back.
    static let holdLimit = Duration.seconds(10)

    /// A claimed delivery is held this long: the wait for a slot, the attempt's deadline, and time to
    /// record the outcome.
    private var lease: Duration { Self.holdLimit + settings.attemptTimeout + .seconds(15) }

    /// Deliveries this process holds at most (in flight or waiting), in all and per subscription.
    private var heldLimit: Int { settings.concurrency + settings.prefetch }
    private var heldLimitPerSubscription: Int {
        settings.concurrencyPerSubscription + min(settings.prefetch, 3 * settings.concurrencyPerSubscription)
    }

    /// Claims run when the fan-out rings, when the poll interval ticks, when nothing is held, and
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
        var held = HeldDeliveries<ClaimedDelivery>(
            concurrency: settings.concurrency, concurrencyPerSubscription: settings.concurrencyPerSubscription)
        await withTaskGroup(of: Finished.self) { group in
            var ticking = false
            var listening = false
            var claimNow = true
            var finishedSinceClaim = 0
            var lastClaim = ContinuousClock.now
            var finishedSubscriptions: Set<UUID> = []
            var lastClaimTook = Duration.zero
            var recording = 0
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                let room = heldLimit - held.count - recording
                let spacing = max(Self.claimSpacing, lastClaimTook * 3)
                let finishedAWhileAgo = finishedSinceClaim > 0 && ContinuousClock.now - lastClaim >= spacing
                if room > 0 && (claimNow || held.count == 0 || finishedSinceClaim >= claimBatch || finishedAWhileAgo) {
                    // Between polls and rings only the subscriptions whose attempts finished can have
                    // a new delivery due (the next of a key); the others wait for the next poll.
                    let only = claimNow || held.count == 0 ? nil : Array(finishedSubscriptions)
                    lastClaim = ContinuousClock.now
                    claimNow = false
                    finishedSinceClaim = 0
                    finishedSubscriptions = []
                    let claimed = await claim(room: room, held: held.heldBySubscription(limit: heldLimitPerSubscription), only: only)
                    lastClaimTook = ContinuousClock.now - lastClaim
                    held.add(claimed.map { ($0.subscriptionId, $0) }, startBy: lastClaim + Self.holdLimit)
                }
                let (start, expired) = held.take(now: .now)
                for delivery in start { group.addTask { await attempt(delivery) } }
                await handBack(expired)
                metrics.inFlight(held.inFlightCount)
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
                        _ = await cancelWhenGracefulShutdown { await queued.wait() }
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
                case .attempted(let delivery, let result):
                    // The slot is free once the receiver answered; recording runs beside the next attempts.
                    held.finished(subscription: delivery.subscriptionId)
                    if let result {
                        if case .delivered = result { held.noteOutcome(of: delivery.subscriptionId, succeeded: true) } else {
                            held.noteOutcome(of: delivery.subscriptionId, succeeded: false)
                        }
                        recording += 1
                        group.addTask { await record(delivery, result) }
                    } else {
                        finishedSinceClaim += 1
                        finishedSubscriptions.insert(delivery.subscriptionId)
                    }
                case .recorded(let id):
                    recording -= 1
                    finishedSinceClaim += 1
                    finishedSubscriptions.insert(id)
                }
            }
            await handBack(held.removeWaiting())
            // Attempts in flight finish, and each outcome is recorded before the sender stops.
            while let finished = await group.next() {
                if case .attempted(let delivery, let result?) = finished { group.addTask { await record(delivery, result) } }
            }
        }
    }

    /// Returns unattempted deliveries to the queue at once (else they would wait for their lease).
    private func handBack(_ unattempted: [ClaimedDelivery]) async {
        guard !unattempted.isEmpty else { return }
        do {
            try await deliveries.release(unattempted)
            logger.info("handed back deliveries not started in time", metadata: ["count": "\(unattempted.count)"])
        } catch {
            logger.warning(
                "cannot hand back unattempted deliveries; they are claimed again when their lease ends",
                metadata: ["count": "\(unattempted.count)", "error": "\(String(reflecting: error))"]
            )
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

    private func claim(room: Int, held: [UUID: Int], only: [UUID]?) async -> [ClaimedDelivery] {
        let started = ContinuousClock.now
        do {
            let claimed = try await deliveries.claim(limit: room, perSubscription: heldLimitPerSubscription, busy: held, only: only, lease: lease)
            metrics.claimed(claimed.count, after: ContinuousClock.now - started)
            return claimed
        } catch {
            logger.error("cannot claim deliveries; retrying at the next poll", metadata: ["error": "\(String(reflecting: error))"])
            return []
        }
    }

    /// Checks visibility, signs and sends; the outcome is recorded separately (`record`).
    private func attempt(_ delivery: ClaimedDelivery) async -> Finished {
        guard replica.state.isVisible(datasetId: delivery.datasetId, to: delivery.agencyId) else {
            do {
                try await recorder.recordForbidden(delivery)
                metrics.forbiddenDropped()
                logger.info(
                    "delivery dropped: the agency may no longer see the dataset",
                    metadata: ["webhook_id": "\(delivery.id)", "dataset": "\(delivery.datasetId)", "agency": "\(delivery.agencyId)"]
                )
            } catch {
                logRecordingFailure(delivery, error)
            }
            return .attempted(delivery, nil)
        }
        let time = Timestamp.now()
        let body = Array(delivery.body.utf8)
        let headers = WebhookSigner.sign(messageID: delivery.id, time: time, body: body, keys: delivery.keys)
        let sending = ContinuousClock.now
        let result = await sender.send(to: delivery.url, body: body, headers: headers)
        metrics.attempted(result, after: ContinuousClock.now - sending)
        return .attempted(delivery, result)
    }

    private func record(_ delivery: ClaimedDelivery, _ result: AttemptResult) async -> Finished {
        do {
            try await recorder.record(delivery, result: result, at: .now())
        } catch {
            logRecordingFailure(delivery, error)
        }
        return .recorded(delivery.subscriptionId)
    }

    private func logRecordingFailure(_ delivery: ClaimedDelivery, _ error: any Error) {
        logger.error(
            "cannot record a delivery's outcome; it is retried when its lease ends",
            metadata: ["webhook_id": "\(delivery.id)", "error": "\(String(reflecting: error))"]
        )
    }
}
