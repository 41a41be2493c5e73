/// Why a webhook destination was refused — precise enough to be the `detail` of the API's 422
/// problem for `channel.url`.
public struct DestinationRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of refusal, stable for clients and metrics.
    public enum Reason: String, Sendable, Hashable, CaseIterable {
        /// Not a URL this service can use.
        case malformedURL = "malformed-url"
        /// Neither `https` nor (when allowed) `http`.
        case unsupportedScheme = "unsupported-scheme"
        /// `http` while the policy requires `https`.
        case httpsRequired = "https-required"
        /// The URL carries `user:password@`.
        case userInfoNotAllowed = "userinfo-not-allowed"
        /// The URL carries a `#fragment`.
        case fragmentNotAllowed = "fragment-not-allowed"
        /// The port is not a number from 1 to 65535.
        case invalidPort = "invalid-port"
        /// The port is a privileged one other than 80 and 443.
        case portNotAllowed = "port-not-allowed"
        /// The host is not a valid DNS name or IP literal.
        case invalidHost = "invalid-host"
        /// The host name is a cloud metadata service.
        case metadataHost = "metadata-host"
        /// The host name only resolves inside a private network.
        case privateHostName = "private-host-name"
        /// An address (literal or resolved) is in a forbidden range.
        case addressNotAllowed = "address-not-allowed"
        /// The name resolved to no address.
        case noAddresses = "no-addresses"
    }

    /// The kind of refusal.
    public var reason: Reason
    /// A sentence for the subscriber: what is wrong and what to do.
    public var detail: String
    /// For ``Reason/addressNotAllowed``: the refused address and its class.
    public var address: IPAddress?
    /// For ``Reason/addressNotAllowed``: the class of ``address``.
    public var addressClass: AddressClass?

    /// A refusal.
    public init(_ reason: Reason, _ detail: String, address: IPAddress? = nil, addressClass: AddressClass? = nil) {
        self.reason = reason
        self.detail = detail
        self.address = address
        self.addressClass = addressClass
    }

    public var description: String { "\(reason.rawValue): \(detail)" }
}
