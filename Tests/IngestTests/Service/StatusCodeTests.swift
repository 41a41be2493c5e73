import CityEvents
import CityKafka
import CityTestSupport
import Foundation
import Testing

@Suite("Ingest: status codes and nasty input")
struct StatusCodeTests {
    @Test("401, 403, 404, 415, 400, 422 — each a problem+json that says what to do, and the process keeps serving")
    func refusals() async throws {
        try await IngestFixture.with { fixture in
            let http = fixture.ingest.http
            let one = [fixture.record(source: "s1", at: "2025-04-01T10:00:00+07:00")]
            func expectProblem(_ reply: HTTPProbe.Reply, _ status: Int, _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
                #expect(reply.status == status, "\(reply.body)", sourceLocation: sourceLocation)
                #expect(reply.contentType == "application/problem+json", sourceLocation: sourceLocation)
                #expect((reply.json["detail"] as? String ?? "").contains(fragment), "\(reply.body)", sourceLocation: sourceLocation)
            }
            expectProblem(try await http.post("/v1/observations", json: one), 401, "Authorization")
            expectProblem(try await http.post("/v1/observations", json: one, headers: ["Authorization": "Bearer cdk_abcdefghijkl_" + String(repeating: "A", count: 43)]), 401, "not known")
            expectProblem(try await http.post("/v1/observations", json: one, headers: ["Authorization": "Bearer \(fixture.subscriberKey.rawValue)"]), 403, "subscriber key")
            // Every record names another agency's dataset.
            let foreign = [["datasetId": fixture.otherDataset, "sourceId": "s", "observedAt": "2025-04-01T10:00:00+07:00", "measurements": [["quantity": "traffic_speed", "value": 30]]]]
            expectProblem(try await http.post("/v1/observations", json: foreign, headers: fixture.auth), 403, "another agency")
            expectProblem(try await fixture.post("a,b\n1,2\n", contentType: "text/csv", query: "?datasetId=\(fixture.otherDataset)&sourceId=s"), 403, "belongs to agency")
            expectProblem(try await fixture.post("a,b\n1,2\n", contentType: "text/csv", query: "?datasetId=no-such-dataset&sourceId=s"), 404, "does not exist")
            expectProblem(try await fixture.post("a,b\n", contentType: "text/csv", query: "?sourceId=s"), 400, "datasetId")
            expectProblem(try await fixture.post("timestamp,other\n", contentType: "text/csv", query: "?datasetId=\(fixture.dataset)&sourceId=s"), 422, "none of the dataset's field columns")
            expectProblem(try await fixture.post("<xml/>", contentType: "application/xml"), 415, "not accepted")
            expectProblem(try await fixture.post("a,b\n", contentType: "text/csv; charset=windows-1258", query: "?datasetId=\(fixture.dataset)&sourceId=s"), 415, "UTF-8")
            expectProblem(try await fixture.post(#"[{"a": 1} {"b": 2}]"#, contentType: "application/json"), 400, "expected ',' or ']'")
            expectProblem(try await fixture.post(#"{"datasetId": "x"}"#, contentType: "application/json"), 400, "JSON array")
            expectProblem(try await fixture.post("[]", contentType: "application/json"), 422, "no records")
            let allBad = try await fixture.post(#"[{"datasetId": "\#(fixture.dataset)", "sourceId": "s", "observedAt": "2025-04-01T10:00:00", "measurements": [{"quantity": "pm25", "value": 1}]}]"#, contentType: "application/json")
            expectProblem(allBad, 422, "no record is valid")
            #expect(allBad.errors.first?["field"] as? String == "observedAt")
            expectProblem(try await fixture.post("[]", contentType: "application/json", headers: ["Idempotency-Key": String(repeating: "k", count: 300)]), 400, "Idempotency-Key")
            // Still serving.
            #expect(try await http.post("/v1/observations", json: one, headers: fixture.auth).status == 202)
        }
    }

    @Test("nasty records are refused one by one: NaN, Infinity, 1e999, duplicate keys, bad UTF-8, a 10 MB line, injection attempts")
    func nastyRecords() async throws {
        try await IngestFixture.with { fixture in
            let prefix = #"{"datasetId": "\#(fixture.dataset)", "sourceId": "s", "observedAt": "2025-04-01T10:00:00+07:00", "measurements": [{"quantity": "pm25", "value": "#
            let lines = [
                prefix + "NaN}]}",
                prefix + "Infinity}]}",
                prefix + "1e999}]}",
                #"{"datasetId": "\#(fixture.dataset)", "datasetId": "other", "sourceId": "s", "observedAt": "2025-04-01T10:00:00+07:00", "measurements": []}"#,
                String(repeating: "x", count: 10 * 1024 * 1024),
                #"{"datasetId": "\#(fixture.dataset)", "sourceId": "x'); DROP TABLE observations;--", "observedAt": "2025-04-01T10:00:00+07:00", "measurements": [{"quantity": "pm25", "value": 1}]}"#,
                #"{"datasetId": "\#(fixture.dataset)", "sourceId": "<img src=x onerror=alert(1)>", "observedAt": "2025-04-01T10:00:00+07:00", "measurements": [{"quantity": "pm25", "value": 1}]}"#,
                prefix + "12}]}",
            ]
            var body = Data(lines.joined(separator: "\n").utf8)
            body.append(contentsOf: [0x0A, 0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D])  // {"\xff\xfe":1}
            var headers = fixture.auth
            headers["Content-Type"] = "application/x-ndjson"
            let reply = try await fixture.ingest.http.request("POST", "/v1/observations", headers: headers, body: body)
            #expect(reply.status == 202, "\(reply.body.prefix(2000))")
            #expect(reply.int("accepted") == 1)
            #expect(reply.int("rejected") == 8)
            let reasons = reply.errors.map { "\($0["index"] ?? "-") \($0["reason"] ?? "")" }
            #expect(reasons.count == 8)
            #expect(reasons[0].contains("NaN and Infinity are not JSON"))
            #expect(reasons[1].contains("NaN and Infinity are not JSON"))
            #expect(reasons[2].contains("not a finite number"))
            #expect(reasons[3].contains("duplicate key 'datasetId'"))
            #expect(reasons[4].contains("longer than"))
            #expect(reasons[5].contains("may hold only letters"))
            #expect(reasons[6].contains("may hold only letters"))
            #expect(reasons[7].contains("invalid UTF-8"))
            // The archive holds exactly the one good record, and the schema is intact.
            try await fixture.waitForArchive(1)
        }
    }

    @Test("limits: a body over INGEST_MAX_BODY_BYTES and an upload over INGEST_MAX_RECORDS get 413; a flood gets 429 with Retry-After")
    func limits() async throws {
        let environment = ["INGEST_MAX_BODY_BYTES": "20000", "INGEST_MAX_RECORDS": "10", "INGEST_RATE_LIMIT_PER_SECOND": "1", "INGEST_RATE_LIMIT_BURST": "4"]
        try await IngestFixture.with(environment: environment) { fixture in
            let big = String(repeating: " ", count: 30_000) + "[]"
            let tooLarge = try await fixture.post(big, contentType: "application/json")
            #expect(tooLarge.status == 413, "\(tooLarge.body)")
            #expect((tooLarge.json["detail"] as? String ?? "").contains("INGEST_MAX_BODY_BYTES"))
            let many = (0..<11).map { fixture.record(source: "s", at: "2025-04-01T10:\($0 < 10 ? "0" : "")\($0):00+07:00") }
            let tooMany = try await fixture.ingest.http.post("/v1/observations", json: many, headers: fixture.auth)
            #expect(tooMany.status == 413)
            #expect((tooMany.json["detail"] as? String ?? "").contains("INGEST_MAX_RECORDS"))
            // Twelve requests at once against a burst of 4 refilled at 1/s: sent one after another on a
            // loaded machine, each could take a second and find a new token, so they go together.
            let replies = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
                for _ in 0..<12 {
                    group.addTask {
                        let reply = try await fixture.post("[]", contentType: "application/json")
                        return (reply.status, reply.header("Retry-After"))
                    }
                }
                var replies: [(Int, String?)] = []
                for try await reply in group { replies.append(reply) }
                return replies
            }
            let statuses = replies.map(\.0)
            let retryAfter = replies.first { $0.0 == 429 }?.1
            #expect(statuses.contains(429), "\(statuses)")
            #expect(statuses.allSatisfy { $0 == 429 || $0 == 422 }, "\(statuses)")
            #expect(retryAfter.flatMap(Int.init).map { $0 >= 1 } == true)
        }
    }
}
