import CityEvents

/// Event-time progress of one source: the newest observation time seen from it. Each source has its
/// own watermark, so a station that publishes a day late does not make others' data "late".
public struct SourceWatermark: Codable, Sendable, Hashable {
    /// The source.
    public var source: String
    /// The newest observation time accepted from it.
    public var newestObservedAt: Timestamp?

    /// Creates a watermark.
    public init(source: String, newestObservedAt: Timestamp? = nil) {
        self.source = source
        self.newestObservedAt = newestObservedAt
    }

    /// The watermark after accepting an observation at `observedAt`.
    public func advanced(to observedAt: Timestamp) -> SourceWatermark {
        var copy = self
        if let newest = newestObservedAt, newest >= observedAt { return copy }
        copy.newestObservedAt = observedAt
        return copy
    }
}

/// How late (behind its source's newest observation) or how far in the future an observation may be
/// and still change indicator values.
public struct LatenessPolicy: Sendable, Hashable, Codable {
    /// Observations older than the source's newest by more than this are rejected (default 48 h).
    public var horizonSeconds: Int64
    /// Observations later than processing time by more than this are rejected (default 1 h), so a
    /// clock error cannot push the watermark ahead and make every later record "late".
    public var futureToleranceSeconds: Int64

    /// The default: 48 hours behind, 1 hour ahead.
    public static let standard = LatenessPolicy(horizonSeconds: 48 * 3_600, futureToleranceSeconds: 3_600)

    /// Creates a policy.
    public init(horizonSeconds: Int64, futureToleranceSeconds: Int64) {
        self.horizonSeconds = horizonSeconds
        self.futureToleranceSeconds = futureToleranceSeconds
    }

    /// Accepts an observation (with the advanced watermark) or rejects it with a precise reason.
    public func admit(
        observedAt: Timestamp, watermark: SourceWatermark, now: Timestamp
    ) -> Result<SourceWatermark, ObservationRejection> {
        if observedAt.secondsSinceEpoch - now.secondsSinceEpoch > futureToleranceSeconds {
            return .failure(.inFuture(source: watermark.source, observedAt: observedAt, now: now, toleranceSeconds: futureToleranceSeconds))
        }
        if let newest = watermark.newestObservedAt, newest.secondsSinceEpoch - observedAt.secondsSinceEpoch > horizonSeconds {
            return .failure(.tooLate(
                source: watermark.source, observedAt: observedAt, newest: newest,
                latenessSeconds: newest.secondsSinceEpoch - observedAt.secondsSinceEpoch, horizonSeconds: horizonSeconds))
        }
        return .success(watermark.advanced(to: observedAt))
    }
}

/// Why an observation does not enter the indicators; its ``description`` is the dead-letter reason.
public enum ObservationRejection: Error, Sendable, Hashable, CustomStringConvertible {
    /// Older than the lateness horizon behind the source's newest observation.
    case tooLate(source: String, observedAt: Timestamp, newest: Timestamp, latenessSeconds: Int64, horizonSeconds: Int64)
    /// Further in the future than the tolerance allows.
    case inFuture(source: String, observedAt: Timestamp, now: Timestamp, toleranceSeconds: Int64)

    /// A short machine code: `too_late` or `in_future`.
    public var code: String {
        switch self {
        case .tooLate: return "too_late"
        case .inFuture: return "in_future"
        }
    }

    public var description: String {
        switch self {
        case .tooLate(let source, let observedAt, let newest, let lateness, let horizon):
            return "too_late: observation of source '\(source)' at \(observedAt) is \(Self.duration(lateness)) behind "
                + "the newest observation of that source (\(newest)); the lateness horizon is \(Self.duration(horizon)), "
                + "so the values it would change are final. Correct the data through a re-import, not the live stream."
        case .inFuture(let source, let observedAt, let now, let tolerance):
            return "in_future: observation of source '\(source)' at \(observedAt) is more than \(Self.duration(tolerance)) "
                + "ahead of processing time (\(now)); check the publisher's clock and UTC offset."
        }
    }

    static func duration(_ seconds: Int64) -> String {
        let hours = seconds / 3_600
        let minutes = seconds % 3_600 / 60
        let rest = seconds % 60
        var text = "\(hours) h"
        if minutes > 0 || rest > 0 { text += " \(minutes) min" }
        if rest > 0 { text += " \(rest) s" }
        return text
    }
}
