import CityEvents
import CityKafka
import CityRuntime

/// The ingest process: agencies publish observations over HTTP (`POST /v1/observations`); ingest
/// validates them against the catalog (read from its topics by a ``CatalogReplica``), publishes them
/// to `city.observations.v1`, archives them into schema `ingest` and serves them back.
@main
enum IngestApp {
    static func main() async {
        await CityService.run(ServiceDescriptor(name: "ingest", defaultPort: 8081, migrations: IngestMigrations.all)) { setup in
            let settings = try IngestSettings(from: setup.environment)
            let servers = setup.configuration.kafkaBootstrapServers
            let schema = setup.configuration.schema

            var producerConfiguration = KafkaProducerConfiguration(client: KafkaClientConfiguration(bootstrapServers: servers, clientID: "ingest"))
            producerConfiguration.deliveryTimeout = settings.kafkaAckTimeout
            let producer = try KafkaProducer(configuration: producerConfiguration, logger: setup.logger)
            setup.addService(KafkaProducerService(producer: producer), name: "kafka-producer")

            let replica = CatalogReplica(bootstrapServers: servers, clientID: "ingest-catalog", logger: setup.logger)
            setup.addService(replica, name: "catalog-replica")
            setup.readiness.register("catalog") { try replica.requireCaughtUp() }
            let kafkaProbe = try KafkaReadinessProbe(bootstrapServers: servers, clientID: "ingest", logger: setup.logger)
            setup.readiness.register("kafka") { try await kafkaProbe.check() }

            let metrics = IngestMetrics()
            let batches = BatchRepository(client: setup.postgres, schema: schema, logger: setup.logger)
            let archive = ArchiveRepository(client: setup.postgres, schema: schema, logger: setup.logger)
            let pipeline = UploadPipeline(producer: producer, settings: settings, metrics: metrics, logger: setup.logger)
            ObservationRoutes(
                replica: replica, pipeline: pipeline, batches: batches,
                limiter: RateLimiter(ratePerSecond: settings.rateLimitPerSecond, burst: settings.rateLimitBurst),
                settings: settings, logger: setup.logger
            ).add(to: setup.router)
            ExportRoutes(replica: replica, archive: archive, logger: setup.logger).add(to: setup.router)

            if settings.runsArchive {
                let deadLetters = DeadLetterPublisher(producer: producer, consumerGroup: "\(schema.name).archive", source: "/citydata/ingest/archive")
                for worker in 1...settings.archiveWorkers {
                    setup.addService(
                        ArchiveConsumer.make(
                            bootstrapServers: servers, schema: schema, postgres: setup.postgres, repository: archive,
                            deadLetters: deadLetters, metrics: metrics, batch: settings.archiveBatch, topic: settings.observationsTopic,
                            worker: worker, logger: setup.logger
                        ),
                        name: settings.archiveWorkers == 1 ? "archive" : "archive-\(worker)"
                    )
                }
            }
        }
    }
}
