import CityEvents
import NotificationsCore
import Testing

/// Standard Webhooks secrets, ids, signatures and verification, in Swift alone.
@Suite("Webhook signing")
struct WebhookSigningTests {
    static let now = Timestamp(secondsSinceEpoch: 1_743_440_468)
    static let body = Array(#"{"data":{"category":"kém","value":151},"id":"e-1"}"#.utf8)

    @Test("generated secrets are whsec_ + base64 of 32 bytes, parse back, and differ")
    func generatedSecret() throws {
        var generator = SeededGenerator(seed: 7)
        let first = WebhookSecret.generate(using: &generator)
        let second = WebhookSecret.generate(using: &generator)
        #expect(first.keyBytes.count == 32)
        #expect(first.text.hasPrefix("whsec_"))
        #expect(try WebhookSecret(first.text) == first)
        #expect(first != second)
        #expect(WebhookSecret.generate() != WebhookSecret.generate())
        #expect(!first.description.contains(String(first.text.dropFirst(6))))
    }

    @Test("secrets outside 24–64 bytes, without the prefix or not base64 are refused")
    func badSecrets() {
        #expect(throws: WebhookSecretError.missingPrefix) { try WebhookSecret("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") }
        #expect(throws: WebhookSecretError.notBase64) { try WebhookSecret("whsec_not*base64!") }
        #expect(throws: WebhookSecretError.wrongKeyLength(23)) { try WebhookSecret(keyBytes: Array(repeating: 1, count: 23)) }
        #expect(throws: WebhookSecretError.wrongKeyLength(65)) { try WebhookSecret(keyBytes: Array(repeating: 1, count: 65)) }
        #expect((try? WebhookSecret(keyBytes: Array(repeating: 1, count: 24))) != nil)
        #expect((try? WebhookSecret(keyBytes: Array(repeating: 1, count: 64))) != nil)
    }

    @Test("the signature matches the example of the Standard Webhooks reference libraries")
    func referenceExample() throws {
        let secret = try WebhookSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        let headers = WebhookSigner.sign(
            messageID: "msg_p5jXN8AQM9LWM0D4loKWxJek", time: Timestamp(secondsSinceEpoch: 1_614_265_330),
            body: Array(#"{"test": 2432232314}"#.utf8), secrets: [secret]
        )
        #expect(headers.signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        #expect(headers.timestamp == 1_614_265_330)
    }

    @Test("webhook-id is msg_ + 32 hex, stable for one (subscription, event), different otherwise")
    func messageID() {
        let id = WebhookMessageID.make(subscriptionId: "sub-1", eventId: "event-1")
        #expect(id.hasPrefix("msg_"))
        #expect(id.count == 36)
        #expect(id.dropFirst(4).allSatisfy { $0.isHexDigit && !$0.isUppercase })
        #expect(WebhookMessageID.make(subscriptionId: "sub-1", eventId: "event-1") == id)
        #expect(WebhookMessageID.make(subscriptionId: "sub-2", eventId: "event-1") != id)
        #expect(WebhookMessageID.make(subscriptionId: "sub-1", eventId: "event-2") != id)
        #expect(WebhookMessageID.make(subscriptionId: "ab", eventId: "c") != WebhookMessageID.make(subscriptionId: "a", eventId: "bc"))
    }

    @Test("headers carry the id, the unix-seconds timestamp and one v1 signature per secret")
    func headers() throws {
        var generator = SeededGenerator(seed: 1)
        let secrets = [WebhookSecret.generate(using: &generator), WebhookSecret.generate(using: &generator)]
        let headers = WebhookSigner.sign(messageID: "msg_1", time: Self.now, body: Self.body, secrets: secrets)
        let fields = Dictionary(uniqueKeysWithValues: headers.fields.map { ($0.name, $0.value) })
        #expect(fields["webhook-id"] == "msg_1")
        #expect(fields["webhook-timestamp"] == "1743440468")
        let signatures = try #require(fields["webhook-signature"]).split(separator: " ")
        #expect(signatures.count == 2)
        #expect(signatures.allSatisfy { $0.hasPrefix("v1,") && $0.count == 3 + 44 })
        #expect(signatures[0] != signatures[1])
    }

    @Test("a signed body verifies; a changed body, id or timestamp does not")
    func roundTrip() throws {
        var generator = SeededGenerator(seed: 2)
        let secret = WebhookSecret.generate(using: &generator)
        let verifier = WebhookVerifier(secrets: [secret])
        let headers = WebhookSigner.sign(messageID: "msg_a", time: Self.now, body: Self.body, secrets: [secret])
        let fields = Dictionary(uniqueKeysWithValues: headers.fields.map { ($0.name, $0.value) })
        #expect(try verifier.verify(body: Self.body, headers: fields, now: Self.now) == headers)

        var changedBody = Self.body
        changedBody[changedBody.count - 2] ^= 0x01
        #expect(throws: WebhookVerificationError.noMatchingSignature) { try verifier.verify(body: changedBody, headers: fields, now: Self.now) }
        var changedID = fields
        changedID["webhook-id"] = "msg_b"
        #expect(throws: WebhookVerificationError.noMatchingSignature) { try verifier.verify(body: Self.body, headers: changedID, now: Self.now) }
        var changedTime = fields
        changedTime["webhook-timestamp"] = "1743440469"
        #expect(throws: WebhookVerificationError.noMatchingSignature) { try verifier.verify(body: Self.body, headers: changedTime, now: Self.now) }
    }

    @Test("header names are matched case-insensitively")
    func caseInsensitiveHeaders() throws {
        var generator = SeededGenerator(seed: 3)
        let secret = WebhookSecret.generate(using: &generator)
        let headers = WebhookSigner.sign(messageID: "msg_c", time: Self.now, body: Self.body, secrets: [secret])
        let fields = Dictionary(uniqueKeysWithValues: headers.fields.map { ($0.name.uppercased(), $0.value) })
        #expect(throws: Never.self) { try WebhookVerifier(secrets: [secret]).verify(body: Self.body, headers: fields, now: Self.now) }
    }

    @Test("during rotation both secrets sign and a receiver holding either one verifies; after the overlap only the new one signs")
    func rotation() throws {
        var generator = SeededGenerator(seed: 4)
        let old = WebhookSecret.generate(using: &generator)
        let new = WebhookSecret.generate(using: &generator)
        let overlapEnds = Timestamp(secondsSinceEpoch: Self.now.secondsSinceEpoch + 86_400)
        let keys = SigningKeys(current: old).rotated(to: new, overlapEnds: overlapEnds)
        #expect(keys.activeSecrets(at: Self.now) == [new, old])

        let during = WebhookSigner.sign(messageID: "msg_r", time: Self.now, body: Self.body, keys: keys)
        let fields = Dictionary(uniqueKeysWithValues: during.fields.map { ($0.name, $0.value) })
        #expect(throws: Never.self) { try WebhookVerifier(secrets: [old]).verify(body: Self.body, headers: fields, now: Self.now) }
        #expect(throws: Never.self) { try WebhookVerifier(secrets: [new]).verify(body: Self.body, headers: fields, now: Self.now) }

        let after = WebhookSigner.sign(messageID: "msg_r", time: overlapEnds, body: Self.body, keys: keys)
        let afterFields = Dictionary(uniqueKeysWithValues: after.fields.map { ($0.name, $0.value) })
        #expect(after.signature.split(separator: " ").count == 1)
        #expect(throws: WebhookVerificationError.noMatchingSignature) {
            try WebhookVerifier(secrets: [old]).verify(body: Self.body, headers: afterFields, now: overlapEnds)
        }
        #expect(throws: Never.self) { try WebhookVerifier(secrets: [new]).verify(body: Self.body, headers: afterFields, now: overlapEnds) }
    }

    @Test("timestamps outside the tolerance are refused either way; inside it they pass")
    func tolerance() throws {
        var generator = SeededGenerator(seed: 5)
        let secret = WebhookSecret.generate(using: &generator)
        let verifier = WebhookVerifier(secrets: [secret], toleranceSeconds: 300)
        let headers = WebhookSigner.sign(messageID: "msg_t", time: Self.now, body: Self.body, secrets: [secret])
        let fields = Dictionary(uniqueKeysWithValues: headers.fields.map { ($0.name, $0.value) })
        func at(_ offset: Int64) -> Timestamp { Timestamp(secondsSinceEpoch: Self.now.secondsSinceEpoch + offset) }
        #expect(throws: Never.self) { try verifier.verify(body: Self.body, headers: fields, now: at(300)) }
        #expect(throws: Never.self) { try verifier.verify(body: Self.body, headers: fields, now: at(-300)) }
        #expect(throws: WebhookVerificationError.timestampTooOld(seconds: 301)) { try verifier.verify(body: Self.body, headers: fields, now: at(301)) }
        #expect(throws: WebhookVerificationError.timestampTooNew(seconds: 301)) { try verifier.verify(body: Self.body, headers: fields, now: at(-301)) }
    }

    @Test("missing headers, a bad timestamp and signatures of other versions are refused with the reason")
    func malformedHeaders() throws {
        var generator = SeededGenerator(seed: 6)
        let secret = WebhookSecret.generate(using: &generator)
        let verifier = WebhookVerifier(secrets: [secret])
        let headers = WebhookSigner.sign(messageID: "msg_m", time: Self.now, body: Self.body, secrets: [secret])
        let fields = Dictionary(uniqueKeysWithValues: headers.fields.map { ($0.name, $0.value) })
        for name in ["webhook-id", "webhook-timestamp", "webhook-signature"] {
            var missing = fields
            missing[name] = nil
            #expect(throws: WebhookVerificationError.missingHeader(name)) { try verifier.verify(body: Self.body, headers: missing, now: Self.now) }
        }
        var badTime = fields
        badTime["webhook-timestamp"] = "1743440468.5"
        #expect(throws: WebhookVerificationError.invalidTimestamp("1743440468.5")) { try verifier.verify(body: Self.body, headers: badTime, now: Self.now) }
        var otherVersion = fields
        otherVersion["webhook-signature"] = headers.signature.replacingOccurrences(of: "v1,", with: "v1a,")
        #expect(throws: WebhookVerificationError.noSupportedSignature) { try verifier.verify(body: Self.body, headers: otherVersion, now: Self.now) }
        var extra = fields
        extra["webhook-signature"] = "v2,abc v1,notbase64!! " + headers.signature
        #expect(throws: Never.self) { try verifier.verify(body: Self.body, headers: extra, now: Self.now) }
    }
}

/// The whole request of one attempt.
@Suite("Webhook request")
struct WebhookRequestTests {
    @Test("the body is the structured CloudEvent, the id is stable across attempts, and the receiver verifies each attempt")
    func request() throws {
        var generator = SeededGenerator(seed: 8)
        let keys = SigningKeys(current: WebhookSecret.generate(using: &generator))
        let event = try EventCodec.cloudEvent(Event(id: "e-42", source: "/city/indicators", payload: SampleEvents.alert()))
        let first = WebhookRequest(event: event, subscriptionId: "sub-9", keys: keys, time: WebhookSigningTests.now)
        let later = Timestamp(secondsSinceEpoch: WebhookSigningTests.now.secondsSinceEpoch + 30)
        let retry = WebhookRequest(event: event, subscriptionId: "sub-9", keys: keys, time: later)

        #expect(try CloudEvent(structuredJSON: first.body) == event)
        #expect(first.webhook.id == WebhookMessageID.make(subscriptionId: "sub-9", eventId: "e-42"))
        #expect(retry.webhook.id == first.webhook.id)
        #expect(retry.webhook.timestamp == first.webhook.timestamp + 30)
        #expect(retry.webhook.signature != first.webhook.signature)
        #expect(first.headers.first?.value == "application/cloudevents+json; charset=utf-8")

        let verifier = WebhookVerifier(secrets: [keys.current])
        let fields = Dictionary(uniqueKeysWithValues: retry.headers.map { ($0.name, $0.value) })
        #expect(try verifier.verify(body: retry.body, headers: fields, now: later).id == first.webhook.id)
    }
}
