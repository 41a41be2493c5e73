/// Checks on DNS host names before they are resolved.
enum HostName {
    /// Names of cloud metadata services; refused whatever the policy.
    static let metadataNames: Set<String> = [
        "metadata.google.internal", "metadata.goog", "metadata", "instance-data", "instance-data.ec2.internal",
    ]

    /// Suffixes of names that only resolve inside a private network (RFC 6761, RFC 6762, RFC 8375,
    /// Kubernetes); refused unless private networks are allowed.
    static let privateSuffixes = [".localhost", ".local", ".internal", ".home.arpa", ".localdomain", ".lan", ".intranet"]

    /// The normalised name (lowercase, no trailing dot) if `text` is a syntactically valid DNS name.
    static func normalise(_ text: String) throws(DestinationRefusal) -> String {
        var name = text.lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        guard !name.isEmpty, name.utf8.count <= 253 else {
            throw DestinationRefusal(.invalidHost, "host \"\(text)\" is not a valid DNS name (empty or longer than 253 characters)")
        }
        if name.contains("%") {
            throw DestinationRefusal(.invalidHost, "host \"\(text)\" is percent-encoded; write it plainly")
        }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        for label in labels {
            guard (1...63).contains(label.utf8.count),
                label.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x5F }),
                label.first != "-", label.last != "-"
            else {
                throw DestinationRefusal(.invalidHost, "host \"\(text)\" is not a valid DNS name (label \"\(label)\")")
            }
        }
        // A name whose last label is numeric is an IPv4 address in some shortened or octal/hex form
        // (`127.1`, `0x7f.0.0.1`, `2130706433`) that resolvers accept; only the dotted quad is allowed.
        if let last = labels.last, last.allSatisfy({ $0.isNumber }) || (last.hasPrefix("0x") && last.count > 2 && last.dropFirst(2).allSatisfy({ $0.isHexDigit })) {
            throw DestinationRefusal(.invalidHost, "host \"\(text)\" looks like an IPv4 address in a non-standard form; write it as a dotted quad like 203.0.113.7")
        }
        return name
    }

    /// Whether `name` only makes sense inside a private network: `localhost`, a single label (resolved
    /// through the search domains of the cluster), or a private suffix.
    static func isPrivateName(_ name: String) -> Bool {
        name == "localhost" || !name.contains(".") || privateSuffixes.contains { name.hasSuffix($0) }
    }
}
