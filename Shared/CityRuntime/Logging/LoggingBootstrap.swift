import Logging
import Synchronization

/// Installs ``JSONLogHandler`` as the process's swift-log backend, once.
public enum LoggingBootstrap {
    private static let done = Mutex(false)

    /// Bootstraps JSON logging for `service` at `level` and returns a logger labelled `label`.
    /// Later calls do not re-bootstrap (swift-log allows one bootstrap per process); they only
    /// return a logger.
    @discardableResult
    public static func bootstrap(service: String, level: Logger.Level, label: String? = nil) -> Logger {
        let first = done.withLock { done in
            defer { done = true }
            return !done
        }
        if first {
            LoggingSystem.bootstrap { label in
                JSONLogHandler(label: label, service: service, logLevel: level)
            }
        }
        var logger = Logger(label: label ?? "citydata.\(service)")
        logger.logLevel = level
        return logger
    }
}
