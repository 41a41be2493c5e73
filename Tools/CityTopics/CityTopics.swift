import ArgumentParser
import Foundation

/// `citytopics`: the platform engineers' tool for CityData's Kafka topics.
@main
struct CityTopics: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "citytopics",
        abstract: "Inspect and operate CityData's Kafka topics: registry vs cluster, tail, produce, lag, replay, dead letters.",
        discussion: """
            Connection: --bootstrap-servers, else KAFKA_BOOTSTRAP_SERVERS, else .dev/stack.env or \
            .dev/kafka.env in the current directory. Extra librdkafka properties (TLS, SASL) with \
            -X key=value; their values are never printed.

            Exit codes: 0 ok; 1 differences found, validation or check failed; 2 usage error; \
            3 cluster unreachable; 4 Kafka refused or failed an operation; 5 topic, group or file not found.

            Progress of long operations goes to standard error; results to standard output \
            (--format json gives stable, sorted-key JSON for scripts).
            """,
        subcommands: [
            ListCommand.self, DescribeCommand.self, ApplyCommand.self, ExportCommand.self,
            TailCommand.self, ProduceCommand.self, LagCommand.self, ReplayCommand.self,
            DeadLetterCommand.self, CheckCommand.self,
        ]
    )

    /// Runs the command; maps parse errors to exit code 2 and tool errors to their documented codes.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let failure as ToolFailure {
            Console.error(failure.message)
            Foundation.exit(failure.exitCode.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success || code.rawValue == ToolExitCode.differences.rawValue {
                exit(withError: error)
            }
            let message = fullMessage(for: error)
            if !message.isEmpty { Console.error(message) }
            Foundation.exit(code == .validationFailure ? ToolExitCode.usage.rawValue : code.rawValue)
        }
    }
}
