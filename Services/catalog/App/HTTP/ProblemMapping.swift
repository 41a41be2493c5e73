import CatalogCore
import CityRuntime

/// The problems the catalog answers, built from its domain errors.
enum ProblemMapping {
    /// 422 with one `{field, reason}` per invalid field.
    static func validation(_ failure: ValidationFailure) -> Problem {
        Problem.validation(
            detail: failure.errors.count == 1 ? "\(failure.errors[0])" : "\(failure.errors.count) fields are invalid: \(failure)",
            errors: failure.errors.map { .object(["field": .string($0.field), "reason": .string($0.reason)]) }
        )
    }

    /// 401 or 403.
    static func denial(_ denial: Denial) -> Problem {
        switch denial {
        case .unauthenticated(let reason): Problem(status: .unauthorized, title: "Authentication required", detail: reason)
        case .forbidden(let reason): Problem(status: .forbidden, title: "Not allowed", detail: reason)
        }
    }

    /// 404 for a missing entity.
    static func notFound(_ kind: String, _ id: String) -> Problem {
        Problem(status: .notFound, title: "Not found", detail: "no \(kind) with id \"\(id)\"")
    }

    /// 409 for a conflicting change.
    static func conflict(_ detail: String) -> Problem {
        Problem(status: .conflict, title: "Conflict", detail: detail)
    }
}

/// Runs validation, turning its failure into a 422 problem.
func validating<T>(_ body: () throws(ValidationFailure) -> T) throws(Problem) -> T {
    do { return try body() } catch { throw ProblemMapping.validation(error) }
}

/// Runs a policy check, turning a denial into a 401 or 403 problem.
func authorizing(_ body: () throws(Denial) -> Void) throws(Problem) {
    do { try body() } catch { throw ProblemMapping.denial(error) }
}
