import CityRuntime

/// The ingest process: migrates schema `ingest` and serves HTTP on port 8081 by default.
/// Its routes, consumers and readiness checks arrive with the ingest feature issue, in the closure.
@main
enum IngestApp {
    static func main() async {
        await CityService.run(ServiceDescriptor(name: "ingest", defaultPort: 8081, migrations: IngestMigrations.all)) { _ in }
    }
}
