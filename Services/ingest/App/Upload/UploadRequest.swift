import CityEvents
import CityRuntime
import IngestCore

/// One `POST /v1/observations` as the pipeline sees it, after authentication and header checks.
struct UploadRequest: Sendable {
    var batchId: String
    var credential: AgencyCredential
    var format: UploadFormat
    /// CSV: the dataset from `?datasetId=` (checked: exists and owned).
    var csvDataset: DatasetSnapshot?
    /// CSV: `?sourceId=` when the dataset has no source column.
    var csvSourceId: String?
    /// `?atomic=true`: publish nothing unless every record is valid.
    var allOrNothing: Bool
    var receivedAt: Timestamp
}
