/// What kind of network an IP address belongs to, for the webhook SSRF guard.
public enum AddressClass: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Globally routable: the only class allowed in production.
    case `public`
    /// This host (127.0.0.0/8, ::1).
    case loopback
    /// Private networks: RFC 1918 (10/8, 172.16/12, 192.168/16), IPv6 unique local (fc00::/7) and the
    /// deprecated site-local fec0::/10.
    case privateNetwork = "private"
    /// Carrier-grade NAT shared address space, 100.64.0.0/10 (RFC 6598).
    case sharedAddressSpace = "shared-address-space"
    /// Link-local (169.254.0.0/16, fe80::/10): never a webhook target.
    case linkLocal = "link-local"
    /// A cloud instance metadata endpoint (169.254.169.254, fd00:ec2::254, 100.100.100.200): never a
    /// webhook target, since it hands out credentials.
    case cloudMetadata = "cloud-metadata"
    /// The unspecified address (0.0.0.0, ::), which connects to this host on most systems.
    case unspecified
    /// Multicast (224.0.0.0/4, ff00::/8).
    case multicast
    /// The limited broadcast address 255.255.255.255.
    case broadcast
    /// Documentation ranges (192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32, 3fff::/20).
    case documentation
    /// Any other special-purpose or unallocated range (0/8, 192.0.0/24, 198.18/15, 240/4, 100::/64,
    /// 2001::/23, IPv6 outside 2000::/3…).
    case reserved

    public var description: String {
        switch self {
        case .public: return "public"
        case .loopback: return "loopback"
        case .privateNetwork: return "private network"
        case .sharedAddressSpace: return "carrier-grade NAT (shared address space)"
        case .linkLocal: return "link-local"
        case .cloudMetadata: return "cloud metadata endpoint"
        case .unspecified: return "unspecified"
        case .multicast: return "multicast"
        case .broadcast: return "broadcast"
        case .documentation: return "documentation"
        case .reserved: return "reserved"
        }
    }
}

/// The special-purpose range an address fell into, named for error messages.
public struct AddressClassification: Sendable, Hashable {
    /// The class.
    public var addressClass: AddressClass
    /// The range in CIDR notation that decided it, e.g. `10.0.0.0/8`; `nil` for public addresses.
    public var range: String?
    /// For IPv4 embedded in IPv6 (mapped, NAT64, 6to4), the IPv4 address that was classified.
    public var embeddedIPv4: IPAddress?
}
