/// The operator's rules for webhook destinations (the SSRF guard), applied twice: to the URL when a
/// subscription is created or changed (``validate(_:)``), and to every address its host resolves to
/// right before each delivery (``checkResolved(_:for:)``) — the App then connects to one of exactly
/// those checked addresses, so a DNS answer that changes in between (rebinding) cannot redirect it.
///
/// Production refuses every address that is not public. `WEBHOOK_ALLOW_PRIVATE_NETWORKS=true`
/// (local stack, tests) also allows loopback, private networks and CGNAT space, and plain `http`;
/// link-local, cloud metadata, unspecified, multicast, broadcast, documentation and reserved ranges
/// stay refused even then.
public struct DestinationPolicy: Sendable, Hashable {
    /// Whether loopback, private (RFC 1918, ULA) and CGNAT addresses and private host names are allowed.
    public var allowPrivateNetworks: Bool
    /// Whether `http` URLs are refused.
    public var requireHTTPS: Bool

    /// The environment variable that allows private networks.
    public static let allowPrivateNetworksVariable = "WEBHOOK_ALLOW_PRIVATE_NETWORKS"
    /// The environment variable that overrides ``requireHTTPS`` (default: the opposite of
    /// ``allowPrivateNetworks``).
    public static let requireHTTPSVariable = "WEBHOOK_REQUIRE_HTTPS"

    /// The address classes ``allowPrivateNetworks`` unlocks.
    public static let privateClasses: Set<AddressClass> = [.loopback, .privateNetwork, .sharedAddressSpace]

    /// A policy; `requireHTTPS` defaults to `!allowPrivateNetworks`.
    public init(allowPrivateNetworks: Bool, requireHTTPS: Bool? = nil) {
        self.allowPrivateNetworks = allowPrivateNetworks
        self.requireHTTPS = requireHTTPS ?? !allowPrivateNetworks
    }

    /// Public `https` destinations only.
    public static let production = DestinationPolicy(allowPrivateNetworks: false)

    /// The policy the environment asks for: `WEBHOOK_ALLOW_PRIVATE_NETWORKS` and
    /// `WEBHOOK_REQUIRE_HTTPS` (`true`/`false`, absent = default).
    public init(environment: [String: String]) throws(DestinationPolicyError) {
        let allow = try Self.flag(Self.allowPrivateNetworksVariable, in: environment) ?? false
        let https = try Self.flag(Self.requireHTTPSVariable, in: environment)
        self.init(allowPrivateNetworks: allow, requireHTTPS: https)
    }

    private static func flag(_ name: String, in environment: [String: String]) throws(DestinationPolicyError) -> Bool? {
        guard let text = environment[name], !text.isEmpty else { return nil }
        switch text.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw DestinationPolicyError(variable: name, value: text)
        }
    }

    /// Checks a webhook URL and returns its parts. An IP-literal host is classified now; a name is
    /// checked for syntax and known internal names, and must be resolved and passed through
    /// ``checkResolved(_:for:)`` before every connection.
    public func validate(_ urlText: String) throws(DestinationRefusal) -> WebhookDestination {
        let parsed = try URLReader.parse(urlText)
        switch parsed.scheme {
        case "https":
            break
        case "http":
            if requireHTTPS {
                throw DestinationRefusal(.httpsRequired, "webhook URLs must use https; http is only allowed when the operator allows private networks (non-production)")
            }
        default:
            throw DestinationRefusal(.unsupportedScheme, "scheme \"\(parsed.scheme)\" is not supported; use https")
        }
        let port = parsed.port ?? (parsed.scheme == "https" ? 443 : 80)
        if port < 1024 && port != 80 && port != 443 {
            throw DestinationRefusal(.portNotAllowed, "port \(port) is a privileged port of another service; use 443, 80 or a port from 1024 up")
        }
        let host: WebhookDestination.Host
        if parsed.bracketed {
            guard let address = IPAddress(parsed.hostText), address.family == .v6 else {
                throw DestinationRefusal(.invalidHost, "\"[\(parsed.hostText)]\" is not an IPv6 address (zone ids are not allowed)")
            }
            try check(address)
            host = .address(address)
        } else if let address = IPAddress(parsed.hostText), address.family == .v4 {
            try check(address)
            host = .address(address)
        } else {
            let name = try HostName.normalise(parsed.hostText)
            if HostName.metadataNames.contains(name) {
                throw DestinationRefusal(.metadataHost, "host \(name) is a cloud metadata service and can never receive webhooks")
            }
            if HostName.isPrivateName(name) && !allowPrivateNetworks {
                throw DestinationRefusal(.privateHostName, "host \(name) only resolves inside a private network; use a public host name")
            }
            host = .name(name)
        }
        return WebhookDestination(scheme: parsed.scheme, host: host, port: port, pathAndQuery: parsed.pathAndQuery)
    }

    /// Checks every address `destination`'s name resolved to and returns them: all must pass, since
    /// a client may use any of them. The App must connect only to a returned address (and not follow
    /// redirects).
    public func checkResolved(_ addresses: [IPAddress], for destination: WebhookDestination) throws(DestinationRefusal) -> [IPAddress] {
        guard !addresses.isEmpty else {
            throw DestinationRefusal(.noAddresses, "host \(destination.host) resolved to no address")
        }
        for address in addresses { try check(address, resolvedFrom: destination.host) }
        return addresses
    }

    /// Whether one address may be connected to; throws the precise refusal otherwise.
    public func check(_ address: IPAddress, resolvedFrom host: WebhookDestination.Host? = nil) throws(DestinationRefusal) {
        let classification = address.classification
        let addressClass = classification.addressClass
        if addressClass == .public { return }
        if allowPrivateNetworks && Self.privateClasses.contains(addressClass) { return }
        var subject = "address \(address)"
        if case .name(let name)? = host { subject = "host \(name) resolves to \(address), which" } else { subject += ", which" }
        var where_ = "is \(article(addressClass)) \(addressClass) address"
        if let range = classification.range { where_ += " (\(range)" + (classification.embeddedIPv4.map { ", via embedded IPv4 \($0)" } ?? "") + ")" }
        let advice = Self.privateClasses.contains(addressClass)
            ? "; webhooks may only go to public addresses unless the operator sets \(Self.allowPrivateNetworksVariable)=true"
            : "; such addresses can never receive webhooks"
        throw DestinationRefusal(.addressNotAllowed, subject + " " + where_ + advice, address: address, addressClass: addressClass)
    }

    private func article(_ addressClass: AddressClass) -> String {
        switch addressClass {
        case .unspecified, .public: return "an"
        default: return "a"
        }
    }
}

/// A policy variable with a value that is not a boolean.
public struct DestinationPolicyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The variable.
    public var variable: String
    /// Its value.
    public var value: String

    /// An error for `variable` holding `value`.
    public init(variable: String, value: String) {
        self.variable = variable
        self.value = value
    }

    public var description: String { "\(variable)=\"\(value)\" is not a boolean; use true or false" }
}
