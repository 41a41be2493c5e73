import CityRuntime

/// The notifications process: migrates schema `notifications` and serves HTTP on port 8084 by default.
/// Its routes, consumers and readiness checks arrive with the notifications feature issue, in the closure.
@main
enum NotificationsApp {
    static func main() async {
        await CityService.run(ServiceDescriptor(name: "notifications", defaultPort: 8084, migrations: NotificationsMigrations.all)) { _ in }
    }
}
