import CityRuntime
import Hummingbird

/// Authentication and authorisation of ingest's requests against the catalog replica.
extension CatalogState {
    /// The credential of the request's bearer key, or the 401 problem.
    func credential(of request: Request) throws(Problem) -> AgencyCredential {
        switch authenticate(authorization: request.headers[.authorization]) {
        case .success(let credential): return credential
        case .failure(let failure): throw failure.problem
        }
    }
}

extension Problem {
    static func forbidden(_ detail: String) -> Problem {
        Problem(status: .forbidden, type: ProblemType.forbidden, title: "Not allowed", detail: detail)
    }

    static func catalogNotReady() -> Problem {
        var problem = Problem(status: .serviceUnavailable, type: ProblemType.unavailable, title: "Starting",
                              detail: "ingest is still reading the catalog (agencies, keys, datasets); retry shortly")
        problem.retryAfterSeconds = 2
        return problem
    }
}
