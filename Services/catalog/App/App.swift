import CatalogCore
import CityEvents
import CityKafka
import CityRuntime
import Foundation

/// The catalog process: agencies, API keys, datasets and grants over HTTP (port 8082 by default),
/// each change published through the transactional outbox to the compacted catalog topics.
@main
enum CatalogApp {
    static func main() async {
        // The outbox migration names its schema, so the list is built for the schema the process will
        // use; an invalid DATABASE_SCHEMA falls back here and is reported by the runtime (exit 78).
        let schema = ProcessInfo.processInfo.environment["DATABASE_SCHEMA"].flatMap(SQLIdentifier.init) ?? SQLIdentifier("catalog")!
        let descriptor = ServiceDescriptor(name: "catalog", defaultPort: 8082, migrations: CatalogMigrations.all(schema: schema))
        await CityService.run(descriptor) { setup in
            let settings = try CatalogSettings(from: setup.environment)
            let database = CatalogDatabase(postgres: setup.postgres, schema: setup.configuration.schema, logger: setup.logger)
            let agencies = AgencyRepository(database: database)
            let authenticator = Authenticator(adminToken: settings.adminToken, keys: agencies)
            AgencyRoutes(agencies: agencies, authenticator: authenticator).add(to: setup.router)
            let datasets = DatasetRepository(database: database)
            DatasetRoutes(datasets: datasets, authenticator: authenticator).add(to: setup.router)
            GrantRoutes(grants: GrantRepository(database: database), authenticator: authenticator).add(to: setup.router)
            CkanRoutes(datasets: datasets, agencies: agencies, ingestBaseURL: settings.publicIngestURL).add(to: setup.router)
            let dcat = DcatDocument(catalogBaseURL: settings.publicCatalogURL, ingestBaseURL: settings.publicIngestURL)
            DcatRoutes(datasets: datasets, agencies: agencies, document: dcat).add(to: setup.router)
            let relay = try EventRelay(
                postgres: setup.postgres, bootstrapServers: setup.configuration.kafkaBootstrapServers,
                schema: setup.configuration.schema, logger: setup.logger)
            setup.addService(relay, name: "outbox-relay")

            let freshness = FreshnessRepository(database: database, rule: FreshnessRule(grace: settings.freshnessGrace))
            let client = KafkaClientConfiguration(bootstrapServers: setup.configuration.kafkaBootstrapServers, clientID: "catalog-freshness")
            let consumer = KafkaConsumerConfiguration(client: client, groupID: "\(setup.configuration.schema.name).freshness", topics: [TopicName.observations])
            let sink = ExactlyOnceSink(consumer: consumer, postgres: setup.postgres, schema: setup.configuration.schema, logger: setup.logger) { records, connection in
                try await freshness.apply(records, on: connection)
            }
            setup.addService(sink, name: "freshness-consumer")
            setup.addService(FreshnessChecker(freshness: freshness, interval: settings.freshnessCheckInterval, logger: setup.logger), name: "freshness-checker")
        }
    }
}
