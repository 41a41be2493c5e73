import Foundation
import NotificationsCore

#if canImport(Glibc)
import Glibc
#endif

/// Resolves a host name to its addresses with `getaddrinfo`, on a thread of its own so the
/// blocking call never holds a thread of Swift's cooperative pool.
enum HostResolver {
    static func resolve(_ name: String) async -> Result<[IPAddress], HostResolutionError> {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: lookUp(name)) }
            thread.name = "webhook-dns"
            thread.start()
        }
    }

    private static func lookUp(_ name: String) -> Result<[IPAddress], HostResolutionError> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(name, nil, &hints, &list)
        guard status == 0, let first = list else {
            return .failure(HostResolutionError(host: name, reason: String(cString: gai_strerror(status))))
        }
        defer { freeaddrinfo(first) }
        var addresses: [IPAddress] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let entry = cursor {
            if let socketAddress = entry.pointee.ai_addr {
                switch Int32(socketAddress.pointee.sa_family) {
                case AF_INET:
                    socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in
                        let bytes = withUnsafeBytes(of: pointer.pointee.sin_addr) { Array($0) }
                        if let address = IPAddress(bytes: bytes) { addresses.append(address) }
                    }
                case AF_INET6:
                    socketAddress.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                        let bytes = withUnsafeBytes(of: pointer.pointee.sin6_addr) { Array($0) }
                        if let address = IPAddress(bytes: bytes) { addresses.append(address) }
                    }
                default:
                    break
                }
            }
            cursor = entry.pointee.ai_next
        }
        var unique: [IPAddress] = []
        for address in addresses where !unique.contains(address) { unique.append(address) }
        return .success(unique)
    }
}

/// A webhook host name that did not resolve.
struct HostResolutionError: Error, CustomStringConvertible {
    var host: String
    var reason: String

    var description: String { "host \(host) does not resolve: \(reason)" }
}
