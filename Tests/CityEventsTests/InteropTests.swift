import CityEvents
import Foundation
import Testing

/// Checks against tools outside Swift: JSON Schema + AsyncAPI validation, and the Python
/// CloudEvents SDK. Without python3 or its packages these tests are skipped locally, and fail when
/// `CI=true`.
@Suite("Interop with Python", .serialized)
struct InteropTests {
    @Test(
        "JSON Schemas accept every fixture and AsyncAPI names every registry topic",
        .enabled(
            if: PythonRunner.isCI || PythonRunner.schemaToolsPresent,
            "skipped: python3 with jsonschema and PyYAML not found (pip install jsonschema pyyaml); CI=true makes this a failure"
        )
    )
    func schemasAndAsyncAPI() throws {
        let directory = try PythonRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let registryFile = try RegistryDump.write(into: directory)
        let outcome = try PythonRunner.run(["Tests/interop/validate_schemas.py", "--registry", registryFile.path])
        #expect(outcome.status == 0, "\(outcome.output)")
        let generated = try PythonRunner.run(["Tests/interop/generate_asyncapi.py", "--registry", registryFile.path, "--check"])
        #expect(generated.status == 0, "\(generated.output)")
    }

    @Test(
        "the Python CloudEvents SDK reads our events and we read its events",
        .enabled(
            if: PythonRunner.isCI || PythonRunner.cloudEventsSDKPresent,
            "skipped: python3 package cloudevents not found (pip install cloudevents); CI=true makes this a failure"
        )
    )
    func cloudEventsSDK() throws {
        let directory = try PythonRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let record = try EventCodec.encode(
            Samples.observation, id: Samples.eventID, source: "/city/ingest", time: Samples.eventTime,
            traceparent: Samples.traceparent
        )
        let event = try EventCodec.decode(ObservationRecorded.self, record: record)
        var headers: [String: String] = [:]
        for header in record.headers { headers[header.name] = header.text }
        let binary = BinaryFile(key: record.keyText ?? "", headers: headers, value: String(decoding: record.value ?? [], as: UTF8.self))
        try JSONEncoder().encode(binary).write(to: directory.appendingPathComponent("ours-binary.json"))
        try Data(EventCodec.structuredJSON(event)).write(to: directory.appendingPathComponent("ours-structured.json"))

        let outcome = try PythonRunner.run(["Tests/interop/cloudevents_interop.py", directory.path])
        try #require(outcome.status == 0, "\(outcome.output)")

        let sdkBinary = try JSONDecoder().decode(BinaryFile.self, from: Data(contentsOf: directory.appendingPathComponent("sdk-binary.json")))
        let sdkHeaders = sdkBinary.headers.map { EventHeader(name: $0.key, text: $0.value) }
        let fromSDK = try EventCodec.decode(ObservationRecorded.self, headers: sdkHeaders, value: Array(sdkBinary.value.utf8))
        #expect(fromSDK.id == "python-sdk-event-1")
        #expect(fromSDK.source == "/python/sdk")
        #expect(fromSDK.subject == "hanoi-air-quality")
        #expect(fromSDK.time == Timestamp(rfc3339: "2025-04-01T00:01:08.250+07:00"))
        #expect(fromSDK.payload == Samples.observation)
        #expect(sdkBinary.key == "hanoi-city")

        let structured = try Data(contentsOf: directory.appendingPathComponent("sdk-structured.json"))
        let fromSDKStructured = try EventCodec.decodeStructured(ObservationRecorded.self, json: Array(structured))
        #expect(fromSDKStructured.id == "python-sdk-event-2")
        #expect(fromSDKStructured.payload == Samples.observation)
    }

    struct BinaryFile: Codable {
        var key: String
        var headers: [String: String]
        var value: String
    }
}
