import ArgumentParser
import Foundation

/// `citytopics check`: schema compatibility against the golden fixtures.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the registry's schema compatibility against the golden fixtures with this build's codec.",
        discussion: """
            Needs no cluster. Reads Tests/CityEventsTests/Fixtures (events/ and contracts/) and checks \
            that every event type has a fixture; each fixture decodes with the current types, is on the \
            topic the registry gives its type, and re-encodes to the same data; every contracted field \
            keeps its JSON type and every optional field may still be left out; tombstones are \
            recognised on compacted topics. Exit 1 when anything fails: a build that breaks v1 \
            consumers must not be deployed. (`swift test` runs the full comparison, including new fields.)

            Example:
              citytopics check
              citytopics check --fixtures /srv/citydata/Fixtures --format json | jq '.[] | select(.ok == false)'
            """
    )

    @Option(name: .long, help: "The fixtures directory (default: $CITYDATA_ROOT or the current directory, then Tests/CityEventsTests/Fixtures).")
    var fixtures: String?
    @Option(name: .long, help: "Output format: text or json.") var format: OutputFormat = .text

    func run() throws {
        let root = ProcessInfo.processInfo.environment["CITYDATA_ROOT"].flatMap { $0.isEmpty ? nil : $0 } ?? FileManager.default.currentDirectoryPath
        let directory = URL(fileURLWithPath: fixtures ?? root + "/Tests/CityEventsTests/Fixtures")
        let outcomes = try FixtureCheck(directory: directory).run()
        switch format {
        case .json: try Console.json(outcomes)
        case .text:
            for outcome in outcomes {
                let label = "\(outcome.fixture)\(outcome.eventType.map { " (\($0))" } ?? "")"
                Console.out(outcome.ok ? "ok    \(label)" : "FAIL  \(label)")
                for problem in outcome.problems { Console.out("      \(problem)") }
            }
        }
        let failed = outcomes.filter { !$0.ok }.count
        if failed > 0 { throw ToolFailure(.differences, "\(failed) of \(outcomes.count) fixture check(s) failed") }
        if format == .text { Console.out("\(outcomes.count) fixture(s) compatible") }
    }
}
