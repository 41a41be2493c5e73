/// Why an event could not be encoded. Encoding fails only on values JSON cannot carry or on
/// envelope attributes that would produce an invalid CloudEvent.
public enum EventEncodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A number is NaN or infinite; `path` names the field, e.g. `measurements[0].value`.
    case nonFiniteNumber(path: String)
    /// An envelope attribute is empty or contains characters a header cannot carry.
    case invalidAttribute(name: String, reason: String)
    /// The JSON encoder refused the payload for another reason.
    case encoderFailed(reason: String)

    public var description: String {
        switch self {
        case .nonFiniteNumber(let path):
            return "cannot encode field '\(path)': NaN and infinity have no JSON representation"
        case .invalidAttribute(let name, let reason):
            return SingleLine.make("cannot encode CloudEvents attribute '\(name)': \(reason)")
        case .encoderFailed(let reason):
            return SingleLine.make("cannot encode event data: \(reason)")
        }
    }
}
