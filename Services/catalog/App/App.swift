import CityRuntime

/// The catalog process: migrates schema `catalog` and serves HTTP on port 8082 by default.
/// Its routes, consumers and readiness checks arrive with the catalog feature issue, in the closure.
@main
enum CatalogApp {
    static func main() async {
        await CityService.run(ServiceDescriptor(name: "catalog", defaultPort: 8082, migrations: CatalogMigrations.all)) { _ in }
    }
}
