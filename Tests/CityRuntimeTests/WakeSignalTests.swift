import CityRuntime
import Testing

/// `WakeSignal`: the wake-up of polling loops (the outbox relay), as a pure unit.
@Suite("Wake signal")
struct WakeSignalTests {
    static func elapsed(_ body: () async -> Bool) async -> (Bool, Duration) {
        let clock = ContinuousClock()
        let start = clock.now
        let result = await body()
        return (result, clock.now - start)
    }

    @Test("a signal given before the wait ends the next wait at once; signals coalesce")
    func signalBeforeWait() async {
        let signal = WakeSignal()
        signal.signal()
        signal.signal()
        let (first, took) = await Self.elapsed { await signal.wait(upTo: .seconds(5)) }
        #expect(first)
        #expect(took < .seconds(1))
        let (second, _) = await Self.elapsed { await signal.wait(upTo: .milliseconds(100)) }
        #expect(!second, "two signals before one wait wake it once")
    }

    @Test("a wait without a signal ends at its timeout")
    func timesOut() async {
        let (signalled, took) = await Self.elapsed { await WakeSignal().wait(upTo: .milliseconds(200)) }
        #expect(!signalled)
        #expect(took >= .milliseconds(190))
    }

    @Test("after a timed-out wait the next wait still waits, and a signal still wakes it")
    func timedOutWaitLeavesTheSignalWorking() async throws {
        let signal = WakeSignal()
        #expect(await signal.wait(upTo: .milliseconds(20)) == false)
        // A wait that returned at once here would make a polling loop spin (AsyncStream finished
        // by the cancelled `next()`).
        let (idle, idleTook) = await Self.elapsed { await signal.wait(upTo: .milliseconds(300)) }
        #expect(!idle)
        #expect(idleTook >= .milliseconds(290), "waited \(idleTook)")
        let (woken, wokenTook) = await Self.elapsed {
            await withTaskGroup(of: Bool.self) { group in
                group.addTask { await signal.wait(upTo: .seconds(10)) }
                group.addTask {
                    try? await Task.sleep(for: .milliseconds(100))
                    signal.signal()
                    return true
                }
                var results: [Bool] = []
                for await result in group { results.append(result) }
                return results.allSatisfy { $0 }
            }
        }
        #expect(woken)
        #expect(wokenTook < .seconds(5), "a signal must end the wait long before its 10 s timeout (took \(wokenTook))")
    }

    @Test("a cancelled wait returns false at once")
    func cancelledWait() async {
        let signal = WakeSignal()
        let waiter = Task { await signal.wait(upTo: .seconds(30)) }
        try? await Task.sleep(for: .milliseconds(50))
        waiter.cancel()
        let (result, took) = await Self.elapsed { await waiter.value }
        #expect(!result)
        #expect(took < .seconds(5))
    }

    @Test("a wait without a timeout ends at a signal, or at once with false when cancelled")
    func waitWithoutTimeout() async {
        let signal = WakeSignal()
        let waiter = Task { await signal.wait() }
        try? await Task.sleep(for: .milliseconds(50))
        signal.signal()
        #expect(await waiter.value)
        let cancelled = Task { await signal.wait() }
        try? await Task.sleep(for: .milliseconds(50))
        cancelled.cancel()
        #expect(await cancelled.value == false)
    }
}
