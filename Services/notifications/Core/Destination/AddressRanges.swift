extension IPAddress {
    /// The class of this address. Addresses that embed an IPv4 address — IPv4-mapped
    /// (`::ffff:0:0/96`), NAT64 (`64:ff9b::/96`) and 6to4 (`2002::/16`) — are classified by that
    /// IPv4 address, since that is where a connection ends up.
    public var classification: AddressClassification {
        if family == .v6, let embedded = embeddedIPv4 {
            var result = embedded.classification
            result.embeddedIPv4 = embedded
            return result
        }
        let table = family == .v4 ? AddressRangeTable.v4 : AddressRangeTable.v6
        for range in table where hasPrefix(range.prefix.bytes, length: range.length) {
            return AddressClassification(addressClass: range.addressClass, range: range.text, embeddedIPv4: nil)
        }
        if family == .v6 && !hasPrefix([0x20] + Array(repeating: 0, count: 15), length: 3) {
            return AddressClassification(addressClass: .reserved, range: "outside 2000::/3 (not global unicast)", embeddedIPv4: nil)
        }
        return AddressClassification(addressClass: .public, range: nil, embeddedIPv4: nil)
    }

    /// The class alone.
    public var addressClass: AddressClass { classification.addressClass }

    private var embeddedIPv4: IPAddress? {
        if let mapped = ipv4Mapped { return mapped }
        // NAT64 well-known prefix 64:ff9b::/96.
        if hasPrefix([0x00, 0x64, 0xFF, 0x9B] + Array(repeating: 0, count: 12), length: 96) {
            return IPAddress(v4: bytes[12], bytes[13], bytes[14], bytes[15])
        }
        // 6to4 2002:aabb:ccdd::/48 embeds aa.bb.cc.dd.
        if bytes[0] == 0x20 && bytes[1] == 0x02 {
            return IPAddress(v4: bytes[2], bytes[3], bytes[4], bytes[5])
        }
        return nil
    }
}

/// One special-purpose range.
struct AddressRange: Sendable {
    var prefix: IPAddress
    var length: Int
    var addressClass: AddressClass
    var text: String

    init(_ cidr: String, _ addressClass: AddressClass) {
        let parts = cidr.split(separator: "/")
        // The tables below are literals; a typo must fail loudly in tests, not silently pass addresses.
        guard parts.count == 2, let address = IPAddress(String(parts[0])), let length = Int(parts[1]) else {
            preconditionFailure("bad CIDR literal \(cidr)")
        }
        self.prefix = address
        self.length = length
        self.addressClass = addressClass
        self.text = cidr
    }
}

/// The ranges, most specific first (the first match wins).
enum AddressRangeTable {
    static let v4: [AddressRange] = [
        AddressRange("0.0.0.0/32", .unspecified),
        AddressRange("0.0.0.0/8", .reserved),
        AddressRange("127.0.0.0/8", .loopback),
        AddressRange("10.0.0.0/8", .privateNetwork),
        AddressRange("172.16.0.0/12", .privateNetwork),
        AddressRange("192.168.0.0/16", .privateNetwork),
        AddressRange("100.100.100.200/32", .cloudMetadata),  // Alibaba Cloud
        AddressRange("100.64.0.0/10", .sharedAddressSpace),
        AddressRange("169.254.169.254/32", .cloudMetadata),  // AWS, GCP, Azure, OpenStack…
        AddressRange("169.254.0.0/16", .linkLocal),
        AddressRange("192.0.0.0/24", .reserved),  // IETF protocol assignments
        AddressRange("192.0.2.0/24", .documentation),
        AddressRange("198.51.100.0/24", .documentation),
        AddressRange("203.0.113.0/24", .documentation),
        AddressRange("198.18.0.0/15", .reserved),  // benchmarking
        AddressRange("192.88.99.0/24", .reserved),  // deprecated 6to4 relay anycast
        AddressRange("255.255.255.255/32", .broadcast),
        AddressRange("224.0.0.0/4", .multicast),
        AddressRange("240.0.0.0/4", .reserved),
    ]

    static let v6: [AddressRange] = [
        AddressRange("::/128", .unspecified),
        AddressRange("::1/128", .loopback),
        AddressRange("::/96", .reserved),  // deprecated IPv4-compatible
        AddressRange("fd00:ec2::254/128", .cloudMetadata),  // AWS
        AddressRange("fc00::/7", .privateNetwork),
        AddressRange("fe80::/10", .linkLocal),
        AddressRange("fec0::/10", .privateNetwork),  // deprecated site-local
        AddressRange("ff00::/8", .multicast),
        AddressRange("2001:db8::/32", .documentation),
        AddressRange("3fff::/20", .documentation),
        AddressRange("100::/64", .reserved),  // discard-only
        AddressRange("2001::/23", .reserved),  // IETF protocol assignments, Teredo
    ]
}
