/// The Kafka header names of the CloudEvents Kafka protocol binding (binary content mode), as
/// PLATFORM.md fixes them.
public enum CloudEventHeaderName {
    public static let specVersion = "ce_specversion"
    public static let id = "ce_id"
    public static let source = "ce_source"
    public static let type = "ce_type"
    public static let time = "ce_time"
    public static let subject = "ce_subject"
    public static let contentType = "content-type"
    /// W3C Trace Context, written unprefixed as PLATFORM.md says; `ce_traceparent` (what CloudEvents
    /// SDKs write for the distributed-tracing extension) is accepted on input too.
    public static let traceparent = "traceparent"
    /// The prefixed spelling of ``traceparent`` written by CloudEvents SDKs.
    public static let prefixedTraceparent = "ce_traceparent"
}

/// Media types used by the envelope.
public enum EventMediaType {
    /// `data` of every CityData event, and the Kafka `content-type` header in binary mode.
    public static let json = "application/json"
    /// A whole CloudEvent as one JSON object (structured content mode; webhook bodies).
    public static let cloudEventsJSON = "application/cloudevents+json"
}
