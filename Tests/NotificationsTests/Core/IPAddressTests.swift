import NotificationsCore
import Testing

/// Parsing, printing and classifying IP addresses for the SSRF guard.
@Suite("IP addresses")
struct IPAddressTests {
    @Test("strict parsing accepts canonical forms and prints them back", arguments: [
        ("192.0.2.1", "192.0.2.1"), ("0.0.0.0", "0.0.0.0"), ("255.255.255.255", "255.255.255.255"),
        ("2001:db8::1", "2001:db8::1"), ("2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1"), ("::", "::"), ("::1", "::1"),
        ("::ffff:10.0.0.1", "::ffff:10.0.0.1"), ("::ffff:a00:1", "::ffff:10.0.0.1"), ("fe80::1:2", "fe80::1:2"),
        ("1:0:0:2:0:0:0:3", "1:0:0:2::3"), ("1::", "1::"), ("1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"),
    ])
    func parseAndPrint(_ text: String, _ canonical: String) throws {
        let address = try #require(IPAddress(text), "\(text) should parse")
        #expect(address.description == canonical)
        #expect(IPAddress(canonical) == address)
    }

    @Test("ambiguous or invalid spellings are refused", arguments: [
        "127.1", "0x7f.0.0.1", "0177.0.0.1", "010.0.0.1", "2130706433", "256.0.0.1", "1.2.3.4.5", "1.2.3.", "",
        "1:2:3:4:5:6:7:8:9", "1::2::3", ":1::2", "1:2:3:4:5:6:7:8::", "fe80::1%eth0", "12345::", "g::1", "::ffff:1.2.3", "1.2.3.4::",
    ])
    func refused(_ text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test("bytes of other lengths are not an address")
    func byteLengths() {
        #expect(IPAddress(bytes: [1, 2, 3]) == nil)
        #expect(IPAddress(bytes: [10, 0, 0, 1])?.family == .v4)
        #expect(IPAddress(bytes: Array(repeating: 0, count: 15) + [1])?.description == "::1")
    }

    @Test("each special range is classified, with its boundaries", arguments: [
        ("0.0.0.0", AddressClass.unspecified), ("0.1.2.3", .reserved),
        ("127.0.0.1", .loopback), ("127.255.255.255", .loopback),
        ("10.0.0.0", .privateNetwork), ("10.255.255.255", .privateNetwork), ("11.0.0.0", .public),
        ("172.16.0.1", .privateNetwork), ("172.31.255.255", .privateNetwork), ("172.15.255.255", .public), ("172.32.0.0", .public),
        ("192.168.1.1", .privateNetwork), ("192.169.0.0", .public),
        ("100.64.0.1", .sharedAddressSpace), ("100.127.255.255", .sharedAddressSpace), ("100.128.0.0", .public), ("100.63.255.255", .public),
        ("100.100.100.200", .cloudMetadata), ("169.254.169.254", .cloudMetadata),
        ("169.254.0.1", .linkLocal), ("169.254.255.255", .linkLocal),
        ("192.0.2.10", .documentation), ("198.51.100.1", .documentation), ("203.0.113.255", .documentation),
        ("198.18.0.1", .reserved), ("192.0.0.8", .reserved), ("240.0.0.1", .reserved),
        ("224.0.0.1", .multicast), ("239.255.255.255", .multicast), ("255.255.255.255", .broadcast),
        ("8.8.8.8", .public), ("1.1.1.1", .public), ("14.160.0.1", .public),
        ("::", .unspecified), ("::1", .loopback), ("::2", .reserved),
        ("fc00::1", .privateNetwork), ("fdff:ffff::1", .privateNetwork), ("fd00:ec2::254", .cloudMetadata), ("fd00:ec2::253", .privateNetwork),
        ("fe80::1", .linkLocal), ("febf::1", .linkLocal), ("fec0::1", .privateNetwork),
        ("ff02::1", .multicast), ("2001:db8::1", .documentation), ("3fff::1", .documentation),
        ("2001::1", .reserved), ("100::1", .reserved), ("4000::1", .reserved),
        ("2606:4700:4700::1111", .public), ("2402:800::1", .public),
        ("::ffff:127.0.0.1", .loopback), ("::ffff:169.254.169.254", .cloudMetadata), ("::ffff:10.1.2.3", .privateNetwork),
        ("::ffff:8.8.8.8", .public), ("64:ff9b::a9fe:a9fe", .cloudMetadata), ("64:ff9b::808:808", .public),
        ("2002:7f00:1::", .loopback), ("2002:0808:0808::1", .public),
    ])
    func classification(_ text: String, _ expected: AddressClass) throws {
        let address = try #require(IPAddress(text))
        #expect(address.addressClass == expected, "\(text)")
    }

    @Test("a classification names the range, and the IPv4 address inside an IPv6 one")
    func classificationDetails() throws {
        let mapped = try #require(IPAddress("::ffff:192.168.0.7")).classification
        #expect(mapped.range == "192.168.0.0/16")
        #expect(mapped.embeddedIPv4 == IPAddress(v4: 192, 168, 0, 7))
        #expect(try #require(IPAddress("93.184.216.34")).classification.range == nil)
    }
}
