import CityEvents

/// What ingest knows about a dataset a record names, from the publisher's point of view.
public enum DatasetAccess: Sendable {
    /// The dataset exists and the publishing agency owns it.
    case owned(DatasetSnapshot)
    /// The dataset exists but belongs to another agency.
    case notOwned(owner: String)
    /// No such dataset in the catalog.
    case unknown
}

/// The validation rules that are configuration rather than data.
public struct ValidationPolicy: Sendable {
    /// How far in the future an observation time may be (clock skew allowance). Default 5 minutes.
    public var futureTolerance: Duration = .seconds(300)
    /// The longest source id accepted.
    public var maxSourceIdLength = 128

    public init() {}
}
