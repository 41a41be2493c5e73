/// What one webhook attempt came to.
enum AttemptResult: Sendable {
    /// The receiver answered 2xx.
    case delivered(responseCode: Int, latencyMs: Int)
    /// Any other answer, a timeout, a connection error or a refused destination.
    case failed(responseCode: Int?, latencyMs: Int?, error: String)
}
