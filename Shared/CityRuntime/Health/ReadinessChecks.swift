import Synchronization

/// The named checks that decide whether a service is ready to receive traffic.
///
/// Any component registers a check (an async closure that throws when not ready); `/health/ready`
/// answers 200 only when every check passes within its timeout. The runtime registers `database`
/// and `migrations`; the Kafka layer registers its own. A shared reference: components keep it and
/// register from wherever they are constructed.
public final class ReadinessChecks: Sendable {
    /// One registered check.
    public struct Check: Sendable {
        public let name: String
        public let timeout: Duration
        public let probe: @Sendable () async throws -> Void
    }

    private let checks = Mutex<[Check]>([])

    public init() {}

    /// Registers `probe` under `name`. The probe throws (any error; its description becomes the
    /// reason shown) when the component is not ready; a probe that runs longer than `timeout` fails.
    public func register(_ name: String, timeout: Duration = .seconds(2), probe: @escaping @Sendable () async throws -> Void) {
        checks.withLock { $0.append(Check(name: name, timeout: timeout, probe: probe)) }
    }

    /// Names of the registered checks, in registration order.
    public var names: [String] { checks.withLock { $0.map(\.name) } }

    /// Runs every check concurrently and reports each outcome.
    public func evaluate() async -> ReadinessReport {
        let current = checks.withLock { $0 }
        let outcomes = await withTaskGroup(of: (Int, ReadinessReport.Outcome).self) { group in
            for (index, check) in current.enumerated() {
                group.addTask { (index, await Self.run(check)) }
            }
            var outcomes = [ReadinessReport.Outcome?](repeating: nil, count: current.count)
            for await (index, outcome) in group { outcomes[index] = outcome }
            return outcomes.compactMap { $0 }
        }
        return ReadinessReport(outcomes: outcomes)
    }

    private static func run(_ check: Check) async -> ReadinessReport.Outcome {
        do {
            try await withDeadline(check.timeout) { try await check.probe() }
            return .init(name: check.name, passed: true, reason: nil)
        } catch is DeadlineExceeded {
            return .init(name: check.name, passed: false, reason: "no answer within \(check.timeout)")
        } catch {
            return .init(name: check.name, passed: false, reason: String(describing: error))
        }
    }
}

/// The result of evaluating ``ReadinessChecks``.
public struct ReadinessReport: Sendable, Equatable {
    /// One check's result; `reason` says why it failed.
    public struct Outcome: Sendable, Equatable, Codable {
        public var name: String
        public var passed: Bool
        public var reason: String?
    }

    public var outcomes: [Outcome]

    /// Whether every check passed.
    public var isReady: Bool { outcomes.allSatisfy(\.passed) }
    /// The checks that did not pass.
    public var failing: [Outcome] { outcomes.filter { !$0.passed } }
}
