import CityEvents
import CityKafka
import CityRuntime
import IndicatorsCore

/// Adds the indicators service's parts to the runtime: the observations consumer (an
/// ``ExactlyOnceSink``), the outbox relay and the HTTP routes.
enum IndicatorsWiring {
    static func configure(_ setup: inout ServiceSetup) async throws {
        let settings = try IndicatorsSettings(from: setup.environment)
        let schema = setup.configuration.schema
        let logger = setup.logger
        let client = KafkaClientConfiguration(
            bootstrapServers: setup.configuration.kafkaBootstrapServers, clientID: "indicators", statisticsInterval: nil)
        let group = "\(schema.name).indicators"
        var consumer = KafkaConsumerConfiguration(client: client, groupID: group, topics: [settings.observationsTopic])
        consumer.offsetStorage = .kafka(commitInterval: .seconds(1))
        let processor = ObservationBatchProcessor(
            fold: try ObservationFold(clock: settings.clock, lateness: settings.lateness),
            store: IndicatorStateStore(clock: settings.clock, logger: logger),
            outbox: Outbox(schema: schema, logger: logger), consumerGroup: group, logger: logger)
        let sink = ExactlyOnceSink(
            consumer: consumer, postgres: setup.postgres, schema: schema, maxBatch: settings.maxBatch, logger: logger
        ) { batch, connection in
            try await processor.process(batch, on: connection)
        }
        var producerConfiguration = KafkaProducerConfiguration(client: client)
        producerConfiguration.allowTopicAutoCreation = true
        let producer = try KafkaProducer(configuration: producerConfiguration, logger: logger)
        setup.addService(ProducerLifetime(producer: producer), name: "outbox-producer")
        setup.addService(OutboxRelay(postgres: setup.postgres, producer: producer, schema: schema, logger: logger), name: "outbox-relay")
        setup.addService(sink, name: "observations-consumer")
        IndicatorRoutes(repository: IndicatorValueRepository(postgres: setup.postgres, clock: settings.clock, logger: logger))
            .add(to: setup.router)
    }
}
