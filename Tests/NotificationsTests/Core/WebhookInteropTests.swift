import CityEvents
import Foundation
import NotificationsCore
import Testing

/// Our signatures against the Python reference implementation (PyPI `standardwebhooks`), both ways.
/// Skipped when python3 or the package is missing, unless `CI=true`, which makes that a failure.
@Suite("Standard Webhooks interop with Python", .serialized)
struct WebhookInteropTests {
    /// Verifies and signs with the reference library. Input (JSON on stdin): the body, our headers and
    /// the secrets to try one by one, and a message to sign. Output (JSON on stdout): which secrets
    /// verified our headers, and the library's headers for its message.
    static let script = #"""
    import json, sys
    from datetime import datetime, timezone
    from standardwebhooks import Webhook, WebhookVerificationError

    request = json.load(sys.stdin)
    results = []
    for secret in request["secrets"]:
        try:
            Webhook(secret).verify(request["body"], request["headers"])
            results.append("ok")
        except WebhookVerificationError as error:
            results.append("refused: " + str(error))
    tampered = []
    for secret in request["secrets"]:
        try:
            Webhook(secret).verify(request["body"] + " ", request["headers"])
            tampered.append("ok")
        except WebhookVerificationError as error:
            tampered.append("refused")
    sign = request["sign"]
    now = datetime.now(tz=timezone.utc)
    signature = Webhook(sign["secret"]).sign(sign["id"], now, sign["body"])
    json.dump({"verified": results, "tampered": tampered, "signed": {
        "webhook-id": sign["id"],
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signature,
    }}, sys.stdout)
    """#

    struct Request: Encodable {
        var body: String
        var headers: [String: String]
        var secrets: [String]
        var sign: SignRequest
    }

    struct SignRequest: Encodable {
        var id: String
        var secret: String
        var body: String
    }

    struct Response: Decodable {
        var verified: [String]
        var tampered: [String]
        var signed: [String: String]
    }

    @Test(
        "Python verifies our rotation signatures with either secret, and we verify Python's",
        .enabled(
            if: NotificationsPython.isCI || NotificationsPython.standardWebhooksPresent,
            "skipped: python3 package standardwebhooks not found (pip install standardwebhooks); CI=true makes this a failure"
        )
    )
    func bothWays() throws {
        let old = WebhookSecret.generate()
        let new = WebhookSecret.generate()
        let unrelated = WebhookSecret.generate()
        let keys = SigningKeys(current: old).rotated(to: new, overlapEnds: nil)

        let alert = IndicatorAlert(
            indicatorId: "vn_aqi_hourly", source: "hanoi-city", kind: .raised, severity: .warning,
            previousCategory: "moderate", category: "poor", value: 151, threshold: 150,
            periodStart: Timestamp(rfc3339: "2025-04-01T07:00:00+07:00")!, periodEnd: Timestamp(rfc3339: "2025-04-01T08:00:00+07:00")!,
            datasetId: "hanoi-air-quality"
        )
        let event = Event(id: "7d9f3c1e-0000-4000-8000-000000000001", source: "/city/indicators", subject: "Chất lượng không khí Hà Nội", payload: alert)
        let body = try EventCodec.structuredJSON(event)
        let messageID = WebhookMessageID.make(subscriptionId: "sub-interop", eventId: event.id)
        let headers = WebhookSigner.sign(messageID: messageID, time: .now(), body: body, keys: keys)

        let pythonBody = #"{"type":"vn.citydata.indicator.alert.v1","data":{"category":"Kém"}}"#
        let request = Request(
            body: String(decoding: body, as: UTF8.self),
            headers: Dictionary(uniqueKeysWithValues: headers.fields.map { ($0.name, $0.value) }),
            secrets: [old.text, new.text, unrelated.text],
            sign: SignRequest(id: "msg_from_python", secret: new.text, body: pythonBody)
        )
        let outcome = try NotificationsPython.run(input: JSONEncoder().encode(request), arguments: ["-c", Self.script])
        try #require(outcome.status == 0, "python3 failed: \(outcome.errors)")
        let response = try JSONDecoder().decode(Response.self, from: Data(outcome.output.utf8))

        #expect(response.verified[0] == "ok", "old secret: \(response.verified[0])")
        #expect(response.verified[1] == "ok", "new secret: \(response.verified[1])")
        #expect(response.verified[2].hasPrefix("refused"), "an unrelated secret must not verify")
        #expect(response.tampered == ["refused", "refused", "refused"])

        let ours = WebhookVerifier(secrets: [new])
        #expect(throws: Never.self) { try ours.verify(body: Array(pythonBody.utf8), headers: response.signed, now: .now()) }
        #expect(throws: WebhookVerificationError.noMatchingSignature) {
            try WebhookVerifier(secrets: [old]).verify(body: Array(pythonBody.utf8), headers: response.signed, now: .now())
        }
        #expect(throws: WebhookVerificationError.noMatchingSignature) {
            try ours.verify(body: Array((pythonBody + " ").utf8), headers: response.signed, now: .now())
        }
    }
}
