import CityEvents
import IndicatorsCore

/// Everything the consumer keeps about one source, as loaded for one batch: the watermark, the hourly
/// aggregates of the hours the batch can read, the last published value of the periods it can
/// recompute, and the alert states. The fold changes it in memory; the store writes back what is
/// marked dirty, in the batch's transaction.
struct SourceState: Sendable {
    /// `quantity` + hour start (seconds since the epoch).
    struct AggregateKey: Hashable, Sendable {
        var quantity: String
        var hour: Int64
    }

    /// The last location reported for the source, and when.
    struct Located: Sendable, Hashable {
        var location: GeoLocation
        var observedAt: Timestamp
    }

    /// A value to store after the batch: the event published and the content a revision compares.
    struct StoredValue: Sendable {
        var event: IndicatorComputed
        var content: ValueContent
    }

    let source: String
    var watermark: SourceWatermark
    var datasetId: String?
    var located: Located?
    /// Aggregates by hour start (seconds since the epoch), then quantity.
    private(set) var aggregates: [Int64: [String: HourlyAggregate]] = [:]
    private(set) var series: HourlySeries
    var published: [String: PublishedValue] = [:]
    var alertStates: [String: AlertState] = [:]

    private(set) var dirtyAggregates: Set<AggregateKey> = []
    var dirtyValues: [String: StoredValue] = [:]
    var dirtyAlerts: Set<String> = []
    var sourceChanged = false

    init(source: String, watermark: SourceWatermark, datasetId: String?, located: Located?) {
        self.source = source
        self.watermark = watermark
        self.datasetId = datasetId
        self.located = located
        self.series = HourlySeries(source: source)
    }

    /// Adds a stored aggregate (not dirty).
    mutating func load(_ aggregate: HourlyAggregate) {
        aggregates[aggregate.hourStart.secondsSinceEpoch, default: [:]][aggregate.quantity] = aggregate
        series.set(aggregate.quantity, hourStart: aggregate.hourStart, mean: aggregate.mean, count: aggregate.count)
    }

    /// The stored aggregates of one hour, by quantity.
    func aggregates(hour: Timestamp) -> [String: HourlyAggregate] {
        aggregates[hour.secondsSinceEpoch] ?? [:]
    }

    /// Replaces an aggregate and marks it for writing.
    mutating func update(_ aggregate: HourlyAggregate) {
        load(aggregate)
        dirtyAggregates.insert(AggregateKey(quantity: aggregate.quantity, hour: aggregate.hourStart.secondsSinceEpoch))
    }

    /// The aggregates to write back.
    var changedAggregates: [HourlyAggregate] { dirtyAggregates.compactMap { aggregates[$0.hour]?[$0.quantity] } }
}
