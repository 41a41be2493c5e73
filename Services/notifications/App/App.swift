import CityRuntime
import Foundation

/// The notifications process: subscriptions API, fan-out of events to subscriptions, webhook sender
/// and the outcome relay; migrates schema `notifications` and serves HTTP on port 8084 by default.
/// See docs/notifications.md.
@main
enum NotificationsApp {
    static func main() async {
        let environment = EnvironmentReader()
        let schema = environment.optional("DATABASE_SCHEMA").flatMap(SQLIdentifier.init) ?? SQLIdentifier("notifications")!
        let descriptor = ServiceDescriptor(name: "notifications", defaultPort: 8084, migrations: NotificationsMigrations.all(schema: schema))
        await CityService.run(descriptor, environment: environment) { setup in
            let settings = try NotificationsSettings(environment: setup.environment)
            let schema = setup.configuration.schema
            let kafka = setup.configuration.kafkaBootstrapServers
            let logger = setup.logger

            let replica = CatalogReplica(bootstrapServers: kafka, clientID: "notifications", logger: logger)
            setup.addService(replica, name: "catalog-replica")
            setup.readiness.register("catalog") { try replica.requireCaughtUp() }

            let queued = WakeSignal()
            let fanout = FanoutService(postgres: setup.postgres, schema: schema, bootstrapServers: kafka, replica: replica, queued: queued,
                maxBatch: settings.fanoutMaxBatch, logger: logger)
            setup.addService(fanout, name: "fanout")
            setup.readiness.register("fanout") { try fanout.requireStarted() }

            let recorder = OutcomeRecorder(
                postgres: setup.postgres, outbox: Outbox(schema: schema, logger: logger), retries: settings.retries, health: settings.health, logger: logger
            )
            let deliveries = DeliveryStore(postgres: setup.postgres, logger: logger)
            let sender = SenderService(settings: settings) { webhooks in
                DeliveryDispatcher(
                    deliveries: deliveries, recorder: recorder, sender: webhooks, replica: replica, queued: queued, settings: settings, logger: logger
                )
            }
            setup.addService(sender, name: "sender")
            setup.addService(OutcomePublishing(postgres: setup.postgres, schema: schema, bootstrapServers: kafka, logger: logger), name: "outcome-relay")

            SubscriptionRoutes(
                subscriptions: SubscriptionStore(postgres: setup.postgres, logger: logger),
                deliveries: DeliveryStore(postgres: setup.postgres, logger: logger),
                replica: replica, settings: settings
            ).register(on: setup.router)
        }
    }
}
