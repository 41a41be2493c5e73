import CityRuntime
import IngestCore

/// Why an upload as a whole was refused; each case is one RFC 9457 problem.
enum UploadFailure: Error {
    case bodyTooLarge(limit: Int)
    case tooManyRecords(limit: Int)
    case syntax(UploadSyntaxError)
    case csvHeader(CSVHeaderError)
    case kafkaUnavailable(String)
    case bodyInterrupted(String)

    var problem: Problem {
        switch self {
        case .bodyTooLarge(let limit):
            return Problem(status: .contentTooLarge, type: ProblemType.tooLarge, title: "Upload too large",
                           detail: "the body is larger than \(limit) bytes (INGEST_MAX_BODY_BYTES); split it into several requests")
        case .tooManyRecords(let limit):
            return Problem(status: .contentTooLarge, type: ProblemType.tooLarge, title: "Upload too large",
                           detail: "the upload has more than \(limit) records (INGEST_MAX_RECORDS); split it into several requests")
        case .syntax(let error):
            return Problem(status: .badRequest, type: ProblemType.malformed, title: "Malformed upload", detail: error.reason)
        case .csvHeader(let error):
            return Problem(status: .unprocessableContent, type: ProblemType.csvHeader, title: "CSV header does not match the dataset", detail: error.description)
        case .kafkaUnavailable(let reason):
            var problem = Problem(status: .serviceUnavailable, type: ProblemType.unavailable, title: "Event log unavailable",
                                  detail: "Kafka did not acknowledge the records (\(reason)); nothing is lost by retrying the same request, duplicates are removed")
            problem.retryAfterSeconds = 5
            return problem
        case .bodyInterrupted(let reason):
            return Problem(status: .badRequest, type: ProblemType.malformed, title: "Upload interrupted", detail: "the body could not be read to its end: \(reason)")
        }
    }
}

/// The `type` URIs of ingest's problems, documented in docs/ingest.md.
enum ProblemType {
    static let base = "https://citydata.vn/problems/ingest/"
    static let tooLarge = base + "too-large"
    static let malformed = base + "malformed"
    static let csvHeader = base + "csv-header"
    static let unavailable = base + "unavailable"
    static let unsupportedMedia = base + "unsupported-media-type"
    static let forbidden = base + "forbidden"
    static let unknownDataset = base + "unknown-dataset"
    static let rejected = base + "all-records-rejected"
    static let rateLimited = base + "rate-limited"
    static let idempotencyKey = base + "idempotency-key"
    static let badQuery = base + "bad-query"
}
