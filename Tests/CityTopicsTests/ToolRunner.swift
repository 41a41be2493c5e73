import CityEvents
import CityKafka
import CityTestSupport
import Foundation
import Testing

/// Runs the built `citytopics` as a process, as an operator would, and captures what it printed.
enum Tool {
    /// One finished run.
    struct Run: CustomStringConvertible {
        var status: Int32
        var stdout: String
        var stderr: String

        /// Standard output as one JSON document.
        func json() throws -> Any { try JSONSerialization.jsonObject(with: Data(stdout.utf8)) }

        /// Standard output as JSON lines.
        func jsonLines() throws -> [[String: Any]] {
            try stdout.split(separator: "\n").map { line in
                try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            }
        }

        var description: String { "exit \(status)\nstdout: \(stdout.suffix(3000))\nstderr: \(stderr.suffix(3000))" }
    }

    /// Runs `citytopics arguments…` with the repository root and, when given, the cluster.
    static func run(_ arguments: [String], kafka: String? = nil, within limit: Duration = .seconds(90)) async throws -> Run {
        var environment = ["CITYDATA_ROOT": RepositoryRoot.path]
        if let kafka { environment["KAFKA_BOOTSTRAP_SERVERS"] = kafka }
        let child = try ChildProcess("citytopics", arguments: arguments, environment: environment)
        let status = try await child.waitForExit(within: limit)
        return Run(status: status, stdout: child.standardOutput, stderr: child.standardError)
    }

    /// Lets the broker create a topic on first use (the mock cluster does), for per-test topics.
    static let autoCreate = ["-X", "allow.auto.create.topics=true"]
}

/// The repository root: `CITYDATA_ROOT`, else the ancestor of this file that holds Package.swift.
enum RepositoryRoot {
    static let path: String = {
        if let root = ProcessInfo.processInfo.environment["CITYDATA_ROOT"], !root.isEmpty { return root }
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while directory.path != "/" {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) { return directory.path }
            directory.deleteLastPathComponent()
        }
        return FileManager.default.currentDirectoryPath
    }()
}

/// Records for the per-test topics: produced straight to the cluster, topics auto-created.
enum TestRecords {
    static func client(_ servers: String) -> KafkaClientConfiguration {
        KafkaClientConfiguration(bootstrapServers: servers, clientID: "citytopics-tests", statisticsInterval: nil, properties: ["allow.auto.create.topics": "true"])
    }

    /// Sends the records and fails the test unless every one was acknowledged.
    static func produce(_ records: [KafkaProducerRecord], to servers: String) async throws {
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: client(servers)), logger: KafkaTestKit.logger)
        let outcomes = await producer.send(records)
        await producer.shutdown()
        for outcome in outcomes { _ = try outcome.get() }
    }

    /// An observation of `source` as an event.
    static func observation(source: String, value: Double, at time: String = "2025-03-01T00:01:17+07:00") throws -> Event<ObservationRecorded> {
        let observedAt = try #require(Timestamp(rfc3339: time))
        let payload = ObservationRecorded(
            datasetId: "hanoi-air-quality", agencyId: "so-tnmt-hanoi", sourceId: source, observedAt: observedAt,
            location: nil, measurements: [ObservationMeasurement(quantity: "pm25", value: value, unit: "µg/m³")]
        )
        return Event(source: "/city/ingest", subject: "hanoi-air-quality", payload: payload)
    }

    /// The event as a Kafka record for `topic`.
    static func record(_ event: Event<ObservationRecorded>, topic: String, partition: Int32? = nil) throws -> KafkaProducerRecord {
        let record = try EventCodec.encode(event)
        return KafkaProducerRecord(
            topic: topic, key: record.key, value: record.value,
            headers: record.headers.map { KafkaHeader(name: $0.name, value: $0.value) }, partition: partition
        )
    }

    /// A temporary file with these lines.
    static func file(_ lines: [String]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("citytopics-\(UUID().uuidString).ndjson").path
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
        return path
    }
}
