import CityRuntime

/// The indicators process: migrates schema `indicators` and serves HTTP on port 8083 by default.
/// Its routes, consumers and readiness checks arrive with the indicators feature issue, in the closure.
@main
enum IndicatorsApp {
    static func main() async {
        await CityService.run(ServiceDescriptor(name: "indicators", defaultPort: 8083, migrations: IndicatorsMigrations.all)) { _ in }
    }
}
