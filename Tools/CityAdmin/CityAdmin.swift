import ArgumentParser

/// `citydata-admin`: operator commands that need more rights than a service has.
@main
struct CityAdmin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "citydata-admin",
        abstract: "Administrative tasks for a CityData database.",
        subcommands: [BootstrapDatabase.self]
    )
}
