import NotificationsCore
import Testing

/// The webhook SSRF guard: URL rules and address policy.
@Suite("Destination policy")
struct DestinationPolicyTests {
    static let production = DestinationPolicy.production
    static let local = DestinationPolicy(allowPrivateNetworks: true)

    func reason(_ url: String, _ policy: DestinationPolicy = production) -> DestinationRefusal.Reason? {
        do {
            _ = try policy.validate(url)
            return nil
        } catch {
            return error.reason
        }
    }

    @Test("a public https URL is taken apart exactly")
    func publicURL() throws {
        let destination = try Self.production.validate("HTTPS://Hooks.Example.ORG.:8443/city/alerts?token=a%20b")
        #expect(destination.scheme == "https")
        #expect(destination.host == .name("hooks.example.org"))
        #expect(destination.port == 8443)
        #expect(destination.pathAndQuery == "/city/alerts?token=a%20b")
        #expect(destination.url == "https://hooks.example.org:8443/city/alerts?token=a%20b")
        let bare = try Self.production.validate("https://example.org")
        #expect(bare.port == 443)
        #expect(bare.pathAndQuery == "/")
        #expect(bare.url == "https://example.org/")
        let literal = try Self.production.validate("https://[2606:4700:4700::1111]/x")
        #expect(literal.host == .address(IPAddress("2606:4700:4700::1111")!))
        #expect(literal.url == "https://[2606:4700:4700::1111]/x")
    }

    @Test("URL shapes that are refused, with the reason", arguments: [
        ("", DestinationRefusal.Reason.malformedURL), ("example.org/hook", .malformedURL), ("https://exa mple.org/", .malformedURL),
        ("https://hà-nội.vn/", .malformedURL), ("ftp://example.org/", .unsupportedScheme), ("http://example.org/", .httpsRequired),
        ("https://user:pw@example.org/", .userInfoNotAllowed), ("https://example.org@10.0.0.1/", .userInfoNotAllowed),
        ("https://example.org/#top", .fragmentNotAllowed), ("https://example.org:0/", .invalidPort),
        ("https://example.org:65536/", .invalidPort), ("https://example.org:/", .invalidPort), ("https://example.org:8o/", .invalidPort),
        ("https://example.org:22/", .portNotAllowed), ("https://example.org:25/", .portNotAllowed),
        ("https:///path", .malformedURL), ("https://[::1/", .malformedURL), ("https://[fe80::1%25eth0]/", .invalidHost),
        ("https://exa_mple..org/", .invalidHost), ("https://-bad.example.org/", .invalidHost), ("https://ex%61mple.org/", .invalidHost),
        ("https://127.1/", .invalidHost), ("https://2130706433/", .invalidHost), ("https://0x7f000001/", .invalidHost),
        ("https://metadata.google.internal/computeMetadata/v1/", .metadataHost), ("https://METADATA.GOOGLE.INTERNAL./", .metadataHost),
        ("https://localhost/", .privateHostName), ("https://api.localhost/", .privateHostName), ("https://catalog/", .privateHostName),
        ("https://printer.local/", .privateHostName), ("https://db.svc.internal/", .privateHostName),
        ("https://127.0.0.1/", .addressNotAllowed), ("https://10.0.0.5/", .addressNotAllowed), ("https://[::1]/", .addressNotAllowed),
        ("https://[::ffff:127.0.0.1]/", .addressNotAllowed), ("https://169.254.169.254/latest/meta-data/", .addressNotAllowed),
        ("https://[fd00:ec2::254]/", .addressNotAllowed), ("https://100.100.100.200/", .addressNotAllowed), ("https://0.0.0.0/", .addressNotAllowed),
    ])
    func refusedInProduction(_ url: String, _ expected: DestinationRefusal.Reason) {
        #expect(reason(url) == expected, "\(url)")
    }

    @Test("allowing private networks admits http, loopback, private and CGNAT targets and private names")
    func allowedLocally() throws {
        for url in [
            "http://localhost:8080/hook", "http://127.0.0.1:9000/", "https://10.1.2.3/", "http://[::1]:8080/", "http://192.168.1.20/",
            "http://100.64.0.10/", "http://[fd12:3456::1]/", "http://catalog:8082/hook", "https://[::ffff:10.0.0.1]/",
        ] {
            #expect(throws: Never.self, "\(url)") { try Self.local.validate(url) }
        }
    }

    @Test("link-local, metadata and other special ranges stay refused with private networks allowed", arguments: [
        "http://169.254.169.254/", "http://169.254.10.1/", "http://[fe80::1]/", "http://[fd00:ec2::254]/", "http://100.100.100.200/",
        "http://metadata.google.internal/", "http://metadata/", "http://0.0.0.0/", "http://224.0.0.1/", "http://255.255.255.255/",
        "http://192.0.2.1/", "http://240.0.0.1/", "http://[::ffff:169.254.169.254]/",
    ])
    func alwaysRefused(_ url: String) {
        let refusal = reason(url, Self.local)
        #expect(refusal == .addressNotAllowed || refusal == .metadataHost, "\(url): \(String(describing: refusal))")
    }

    @Test("https can be required even when private networks are allowed")
    func requireHTTPSOverride() {
        let policy = DestinationPolicy(allowPrivateNetworks: true, requireHTTPS: true)
        #expect(reason("http://127.0.0.1:8080/", policy) == .httpsRequired)
        #expect(reason("https://127.0.0.1:8443/", policy) == nil)
    }

    @Test("every resolved address must pass: one private address among public ones refuses the name")
    func resolvedAddresses() throws {
        let destination = try Self.production.validate("https://hooks.example.org/")
        let good = [IPAddress("93.184.216.34")!, IPAddress("2606:2800:220:1:248:1893:25c8:1946")!]
        #expect(try Self.production.checkResolved(good, for: destination) == good)
        #expect(throws: DestinationRefusal.self) { try Self.production.checkResolved(good + [IPAddress("10.0.0.7")!], for: destination) }
        #expect(throws: DestinationRefusal.self) { try Self.production.checkResolved([IPAddress("::ffff:127.0.0.1")!], for: destination) }
        do {
            _ = try Self.production.checkResolved([], for: destination)
            Issue.record("an empty resolution must be refused")
        } catch {
            #expect(error.reason == .noAddresses)
        }
        let local = try Self.local.validate("http://hooks.example.org/")
        #expect(throws: Never.self) { try Self.local.checkResolved([IPAddress("127.0.0.1")!], for: local) }
        #expect(throws: DestinationRefusal.self) { try Self.local.checkResolved([IPAddress("169.254.169.254")!], for: local) }
    }

    @Test("a refusal names the host, the address, its class and range, and what to do")
    func refusalDetail() throws {
        let destination = try Self.production.validate("https://rebind.example.org/")
        do {
            _ = try Self.production.checkResolved([IPAddress("172.20.1.5")!], for: destination)
            Issue.record("a private address must be refused")
        } catch {
            #expect(error.reason == .addressNotAllowed)
            #expect(error.address == IPAddress("172.20.1.5"))
            #expect(error.addressClass == .privateNetwork)
            #expect(error.detail.contains("rebind.example.org"))
            #expect(error.detail.contains("172.20.1.5"))
            #expect(error.detail.contains("172.16.0.0/12"))
            #expect(error.detail.contains("WEBHOOK_ALLOW_PRIVATE_NETWORKS=true"))
        }
        do {
            _ = try Self.local.validate("http://169.254.169.254/")
            Issue.record("metadata must be refused")
        } catch {
            #expect(error.addressClass == .cloudMetadata)
            #expect(error.detail.contains("can never receive webhooks"))
        }
    }

    @Test("the policy reads WEBHOOK_ALLOW_PRIVATE_NETWORKS and WEBHOOK_REQUIRE_HTTPS")
    func environment() throws {
        #expect(try DestinationPolicy(environment: [:]) == .production)
        let local = try DestinationPolicy(environment: ["WEBHOOK_ALLOW_PRIVATE_NETWORKS": "true"])
        #expect(local.allowPrivateNetworks && !local.requireHTTPS)
        let strictLocal = try DestinationPolicy(environment: ["WEBHOOK_ALLOW_PRIVATE_NETWORKS": "TRUE", "WEBHOOK_REQUIRE_HTTPS": "true"])
        #expect(strictLocal.allowPrivateNetworks && strictLocal.requireHTTPS)
        #expect(throws: DestinationPolicyError(variable: "WEBHOOK_ALLOW_PRIVATE_NETWORKS", value: "maybe")) {
            try DestinationPolicy(environment: ["WEBHOOK_ALLOW_PRIVATE_NETWORKS": "maybe"])
        }
    }
}
