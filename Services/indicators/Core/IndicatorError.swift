/// What went wrong in the indicator core, with what to do about it.
public enum IndicatorError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No definition has this id.
    case unknownIndicator(String)
    /// A time-zone id the system does not know.
    case unknownTimeZone(String)
    /// A period start that is not the start of a period of the indicator.
    case misalignedPeriod(indicatorId: String, periodStart: String, expected: String)

    public var description: String {
        switch self {
        case .unknownIndicator(let id):
            return "unknown indicator '\(id)'; known: \(IndicatorRegistry.all.map(\.id).joined(separator: ", "))"
        case .unknownTimeZone(let id):
            return "unknown time zone '\(id)'; use an IANA id such as Asia/Ho_Chi_Minh"
        case .misalignedPeriod(let id, let start, let expected):
            return "period start \(start) is not a period start of \(id); use \(expected)"
        }
    }
}
