/// A webhook URL that passed ``DestinationPolicy/validate(_:)``: its parts, parsed once, so that the
/// App connects to exactly what was checked.
public struct WebhookDestination: Sendable, Hashable {
    /// Where to connect.
    public enum Host: Sendable, Hashable, CustomStringConvertible {
        /// A DNS name, lowercase, without a trailing dot; resolve it and check every address with
        /// ``DestinationPolicy/checkResolved(_:for:)`` before connecting.
        case name(String)
        /// An IP literal, already checked.
        case address(IPAddress)

        public var description: String {
            switch self {
            case .name(let name): return name
            case .address(let address): return address.family == .v6 ? "[\(address)]" : address.description
            }
        }
    }

    /// `https` or `http`.
    public var scheme: String
    /// The host.
    public var host: Host
    /// The explicit port, or the scheme's default (443, 80).
    public var port: Int
    /// The path and query as given (at least `/`), sent as the request target.
    public var pathAndQuery: String

    /// Whether TLS is used.
    public var usesTLS: Bool { scheme == "https" }

    /// The URL rebuilt from the checked parts (default port omitted).
    public var url: String {
        let defaultPort = usesTLS ? 443 : 80
        return scheme + "://" + host.description + (port == defaultPort ? "" : ":\(port)") + pathAndQuery
    }
}

/// A URL taken apart, before the policy looks at it.
struct ParsedURL {
    var scheme: String
    var hostText: String
    var bracketed: Bool
    var port: Int?
    var pathAndQuery: String
}

/// A small, strict RFC 3986 reader for `scheme://host[:port][/path][?query]` — strict on purpose:
/// no userinfo, no fragment, no whitespace or control characters, no percent-encoded host, so that
/// the host this code checks is the host any HTTP client would connect to.
enum URLReader {
    static let maximumLength = 2048

    static func parse(_ text: String) throws(DestinationRefusal) -> ParsedURL {
        guard !text.isEmpty else { throw DestinationRefusal(.malformedURL, "the URL is empty") }
        guard text.utf8.count <= maximumLength else {
            throw DestinationRefusal(.malformedURL, "the URL is longer than \(maximumLength) bytes")
        }
        guard text.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
            throw DestinationRefusal(.malformedURL, "the URL contains spaces, control or non-ASCII characters; percent-encode the path and use the xn-- form of international host names")
        }
        guard let schemeEnd = text.range(of: "://") else {
            throw DestinationRefusal(.malformedURL, "the URL must be absolute, like https://example.org/hooks")
        }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        let rest = text[schemeEnd.upperBound...]
        if rest.contains("#") {
            throw DestinationRefusal(.fragmentNotAllowed, "the URL has a #fragment, which is never sent to the server; remove it")
        }
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var pathAndQuery = String(rest[authorityEnd...])
        if pathAndQuery.isEmpty || pathAndQuery.hasPrefix("?") { pathAndQuery = "/" + pathAndQuery }
        if authority.contains("@") {
            throw DestinationRefusal(.userInfoNotAllowed, "the URL carries credentials (user@host); use the webhook signature to authenticate instead")
        }
        if authority.contains("\\") {
            throw DestinationRefusal(.malformedURL, "the host part contains a backslash")
        }
        var hostText: Substring
        var portText: Substring?
        var bracketed = false
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                throw DestinationRefusal(.malformedURL, "the IPv6 address in the URL lacks its closing ]")
            }
            hostText = authority[authority.index(after: authority.startIndex)..<close]
            bracketed = true
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw DestinationRefusal(.malformedURL, "unexpected text after the IPv6 address") }
                portText = after.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: ":") {
            hostText = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else {
            hostText = authority
        }
        guard !hostText.isEmpty else { throw DestinationRefusal(.malformedURL, "the URL has no host") }
        var port: Int?
        if let portText {
            guard !portText.isEmpty, portText.count <= 5, portText.allSatisfy({ $0.isASCII && $0.isNumber }),
                let value = Int(portText), (1...65535).contains(value)
            else {
                throw DestinationRefusal(.invalidPort, "port \"\(portText)\" is not a number from 1 to 65535")
            }
            port = value
        }
        return ParsedURL(scheme: scheme, hostText: String(hostText), bracketed: bracketed, port: port, pathAndQuery: pathAndQuery)
    }
}
