import CityRuntime
import Foundation
import Testing

@Suite("problem+json")
struct ProblemTests {
    @Test func bodyShape() throws {
        let problem = Problem.validation(
            detail: "2 of 3 records are invalid",
            errors: [["index": 0, "field": "observedAt", "reason": "not RFC 3339"]]
        )
        let object = try #require(try JSONSerialization.jsonObject(with: problem.body()) as? [String: Any])
        #expect(object["type"] as? String == "about:blank")
        #expect(object["title"] as? String == "Request is not valid")
        #expect(object["status"] as? Int == 422)
        #expect(object["detail"] as? String == "2 of 3 records are invalid")
        #expect(object["instance"] == nil)
        let errors = try #require(object["errors"] as? [[String: Any]])
        #expect(errors.first?["field"] as? String == "observedAt")
        #expect(errors.first?["index"] as? Int == 0)
    }

    @Test func defaultsAndReservedMembers() throws {
        let problem = Problem(status: .notFound, instance: "/v1/batches/42", extensions: ["status": "ignored", "hint": true])
        let object = try #require(try JSONSerialization.jsonObject(with: problem.body()) as? [String: Any])
        #expect(object["title"] as? String == "Not Found")
        #expect(object["status"] as? Int == 404)
        #expect(object["instance"] as? String == "/v1/batches/42")
        #expect(object["hint"] as? Bool == true)
        #expect(Set(object.keys) == ["type", "title", "status", "instance", "hint"])
    }

    @Test func internalErrorLeaksNothing() throws {
        let body = String(decoding: Problem.internalError(instance: "urn:uuid:1").body(), as: UTF8.self)
        #expect(body == #"{"detail":"The server failed to handle the request; it has been logged.","instance":"urn:uuid:1","status":500,"title":"Internal Server Error","type":"about:blank"}"#)
    }
}
