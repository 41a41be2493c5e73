import CityRuntime
import Testing

@Suite("Readiness checks and the startup latch")
struct ReadinessTests {
    struct Down: Error, CustomStringConvertible {
        var description: String { "broker unreachable" }
    }

    @Test func reportNamesFailingChecks() async {
        let checks = ReadinessChecks()
        checks.register("database") {}
        checks.register("kafka") { throw Down() }
        checks.register("slow", timeout: .milliseconds(50)) { try await Task.sleep(for: .seconds(10)) }
        let report = await checks.evaluate()
        #expect(!report.isReady)
        #expect(report.outcomes.map(\.name) == ["database", "kafka", "slow"])
        #expect(report.failing.map(\.name) == ["kafka", "slow"])
        #expect(report.failing.map(\.reason) == ["broker unreachable", "no answer within 0.05 seconds"])
    }

    @Test func latchReleasesWaitersAndCancellation() async throws {
        let latch = StartupSignal(name: "test")
        async let waited: Void = latch.wait()
        let cancelled = Task { try await latch.wait() }
        cancelled.cancel()
        await #expect(throws: StartupSignal.Cancelled.self) { try await cancelled.value }
        #expect(!latch.isOpen)
        latch.open()
        try await waited
        #expect(latch.isOpen)
        try await latch.wait()  // already open: returns at once
    }
}
