import CityEvents
import CityKafka
import CityRuntime
import IndicatorsCore

/// The indicators process: consumes observations into hourly aggregates and indicator values
/// (exactly once, committed with the offsets), publishes new and revised values, alerts and dead
/// letters through the transactional outbox, and serves the indicators API on port 8083 by default.
@main
enum IndicatorsApp {
    static func main() async {
        let environment = EnvironmentReader()
        let schema = environment.optional("DATABASE_SCHEMA").flatMap(SQLIdentifier.init) ?? SQLIdentifier("indicators")!
        let descriptor = ServiceDescriptor(name: "indicators", defaultPort: 8083, migrations: IndicatorsMigrations.all(schema: schema))
        await CityService.run(descriptor, environment: environment) { setup in
            try await IndicatorsWiring.configure(&setup)
        }
    }
}
