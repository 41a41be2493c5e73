/// A validated Kafka bootstrap list such as `broker-1:9092,broker-2:9092`.
public enum BootstrapServers {
    /// What ``validate(_:)`` accepts, phrased for configuration errors.
    public static let expectation = "a comma-separated list of host:port (e.g. localhost:9092)"

    /// Returns the list normalised (trimmed, no blanks) or `nil` when an entry is not `host:port`
    /// with a port in 1–65535. Bracketed IPv6 hosts (`[::1]:9092`) are accepted.
    public static func validate(_ text: String) -> String? {
        let entries = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard !entries.isEmpty else { return nil }
        for entry in entries {
            guard let colon = entry.lastIndex(of: ":") else { return nil }
            let host = entry[..<colon]
            guard let port = Int(entry[entry.index(after: colon)...]), (1...65535).contains(port), !host.isEmpty,
                !host.contains(where: { $0 == " " || $0 == "/" })
            else { return nil }
            if host.contains(":") && !(host.hasPrefix("[") && host.hasSuffix("]")) { return nil }
        }
        return entries.joined(separator: ",")
    }
}
