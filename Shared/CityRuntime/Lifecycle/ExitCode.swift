#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The exit codes of a CityData service, for operators and process supervisors.
public enum ExitCode: Int32, Sendable {
    /// Clean stop after SIGTERM/SIGINT.
    case success = 0
    /// Any other failure (a service failed, shutdown overran its bound).
    case failure = 1
    /// The database holds migrations this binary does not know or that differ (`EX_DATAERR`).
    case migration = 65
    /// A configuration variable is missing or malformed (`EX_CONFIG`).
    case configuration = 78

    /// Writes `line` to standard error and exits with this code.
    public func exit(printing line: String) -> Never {
        LineWriter.write(line, to: 2)
        systemExit(rawValue)
    }

    /// Exits with this code.
    public func exit() -> Never {
        systemExit(rawValue)
    }
}

private func systemExit(_ code: Int32) -> Never {
    #if canImport(Glibc)
    Glibc.exit(code)
    #else
    Darwin.exit(code)
    #endif
}
