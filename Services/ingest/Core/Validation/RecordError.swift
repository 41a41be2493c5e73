/// Why one record of an upload was refused: its position, the field at fault and a reason a person
/// can act on. It is the `errors[]` entry of the response and the `city.ingest.rejected.v1` event.
public struct RecordError: Error, Sendable, Hashable, Codable {
    /// The record's position in the upload, from 0 (CSV: the header row is not counted).
    public var index: Int
    /// The field at fault (`measurements[2].unit`, a CSV column name), when one is.
    public var field: String?
    /// What was wrong, in one line.
    public var reason: String
    /// A stable machine-readable code for metrics and filtering (see ``RecordError/Code``).
    public var code: Code

    /// Stable reason codes.
    public enum Code: String, Sendable, Hashable, Codable, CaseIterable {
        case malformed, unknownField = "unknown_field", missingField = "missing_field", wrongType = "wrong_type"
        case unknownDataset = "unknown_dataset", forbiddenDataset = "forbidden_dataset"
        case unknownQuantity = "unknown_quantity", unit, notFinite = "not_finite", outOfRange = "out_of_range"
        case timestamp, future, source, location, noMeasurements = "no_measurements"
    }

    public init(index: Int, field: String?, reason: String, code: Code) {
        self.index = index
        self.field = field
        self.reason = reason
        self.code = code
    }
}
