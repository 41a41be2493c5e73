import CityEvents
import CityRuntime
import Foundation
import HTTPTypes
import Hummingbird
import NotificationsCore

/// `/v1/subscriptions…`: a subscribing agency manages its subscriptions and reads their delivery
/// log. Another agency's subscription answers 404, as if it did not exist.
struct SubscriptionRoutes: Sendable {
    let subscriptions: SubscriptionStore
    let deliveries: DeliveryStore
    let replica: CatalogReplica
    let settings: NotificationsSettings

    func register(on router: Router<BasicRequestContext>) {
        let group = router.group("v1/subscriptions")
        group.post { request, _ in try await create(request) }
        group.get { request, _ in try await list(request) }
        group.get(":id") { request, context in try await show(request, context) }
        group.patch(":id") { request, context in try await update(request, context) }
        group.delete(":id") { request, context in try await delete(request, context) }
        group.post(":id/rotate-secret") { request, context in try await rotateSecret(request, context) }
        group.get(":id/deliveries") { request, context in try await deliveryLog(request, context) }
        group.post(":id/replay") { request, context in try await replay(request, context) }
        group.post(":id/redrive") { request, context in try await redrive(request, context) }
    }

    private func create(_ request: Request) async throws -> Response {
        let caller = try Caller.subscriber(of: request, replica: replica)
        let body = try await JSONMessages.decode(CreateSubscriptionRequest.self, from: request)
        var errors = filterProblems(body.filter, required: true)
        let url = channelURL(body.channel, required: true, errors: &errors)
        errors += throttleProblems(body.throttleSeconds)
        guard errors.isEmpty, let filter = body.filter, let url else {
            throw Problem.validation(detail: "the subscription is not valid; see errors", errors: errors)
        }
        let secret = WebhookSecret.generate()
        let record = try await subscriptions.create(
            agencyId: caller.agencyId, filter: filter, url: url, secret: secret, throttleSeconds: body.throttleSeconds ?? 0)
        var response = try JSONMessages.response(SecretView(id: record.id.uuidString.lowercased(), secret: secret.text), status: .created)
        response.headers[HTTPField.Name.location] = "/v1/subscriptions/\(record.id.uuidString.lowercased())"
        return response
    }

    private func list(_ request: Request) async throws -> Response {
        let caller = try Caller.subscriber(of: request, replica: replica)
        let records = try await subscriptions.list(agencyId: caller.agencyId)
        return try JSONMessages.response(["subscriptions": records.map(SubscriptionView.init)])
    }

    private func show(_ request: Request, _ context: some RequestContext) async throws -> Response {
        let caller = try Caller.subscriber(of: request, replica: replica)
        return try JSONMessages.response(SubscriptionView(try await owned(Caller.subscriptionId(context), by: caller)))
    }

    private func update(_ request: Request, _ context: some RequestContext) async throws -> Response {
        let caller = try Caller.subscriber(of: request, replica: replica)
        let id = try Caller.subscriptionId(context)
        let body = try await JSONMessages.decode(UpdateSubscriptionRequest.self, from: request)
        var errors = filterProblems(body.filter, required: false)
        let url = channelURL(body.channel, required: false, errors: &errors)
        errors += throttleProblems(body.throttleSeconds)
        guard errors.isEmpty else { throw Problem.validation(detail: "the change is not valid; see errors", errors: errors) }
        let change = SubscriptionChange(filter: body.filter, url: url, paused: body.paused, throttleSeconds: body.throttleSeconds)
        guard let record = try await subscriptions.update(id, agencyId: caller.agencyId, change: change) else { throw Self.missing }
        return try JSONMessages.response(SubscriptionView(record))
    }

    private func delete(_ request: Request, _ context: some RequestContext) async throws -> Response {
        let caller = try Caller.subscriber(of: request, replica: replica)
        guard try await subscriptions.delete(Caller.subscriptionId(context), agencyId: caller.agencyId) else { throw Self.missing }
        return Response(status: .noContent)
    }

    private func rotateSecret(_ request: Request, _ context: some RequestContext) async throws -> Response {
        let caller = try Caller.subscriber(of: request, replica: replica)
        let secret = WebhookSecret.generate()
        let overlapEnds = Timestamp.now().adding(milliseconds: settings.rotationOverlap.wholeMilliseconds)
        guard let record = try await subscriptions.rotate(Caller.subscriptionId(context), agencyId: caller.agencyId, to: secret, overlapEnds: overlapEnds)
        else { throw Self.missing }
        return try JSONMessages.response(
            SecretView(id: record.id.uuidString.lowercased(), secret: secret.text, previousSecretExpiresAt: record.keys.previousExpiresAt?.rfc3339)
        )
    }

    private func deliveryLog(_ request: Request, _ context: some RequestContext) async throws -> Response {
        let caller = try Caller.subscriber(of: request, replica: replica)
        let record = try await owned(Caller.subscriptionId(context), by: caller)
        let query = request.uri.queryParameters
        var status: DeliveryRowStatus?
        if let text = query.get("status") {
            guard let parsed = DeliveryRowStatus(rawValue: text) else {
                throw Problem.validation(
                    detail: "status must be one of \(DeliveryRowStatus.allCases.map(\.rawValue).joined(separator: ", "))",
                    errors: [["parameter": "status", "reason": .string("unknown status \(text)")]]
                )
            }
            status = parsed
        }
        var limit = 100
        if let text = query.get("limit") {
            guard let parsed = Int(text), (1...1000).contains(parsed) else {
                throw Problem.validation(detail: "limit must be a whole number from 1 to 1000", errors: [["parameter": "limit", "reason": .string("got \(text)")]])
            }
            limit = parsed
        }
        let entries = try await deliveries.log(subscriptionId: record.id, status: status, limit: limit)
        return try JSONMessages.response(["deliveries": entries])
    }

    private func replay(_ request: Request, _ context: some RequestContext) async throws -> Response {
        let caller = try Caller.subscriber(of: request, replica: replica)
        let record = try await owned(Caller.subscriptionId(context), by: caller)
        let body = try await JSONMessages.decode(ReplayRequest.self, from: request)
        var errors: [ProblemMember] = []
        let from = Timestamp(rfc3339: body.from)
        let to = Timestamp(rfc3339: body.to)
        if from == nil { errors.append(["pointer": "/from", "reason": "must be an RFC 3339 time, e.g. 2025-04-01T00:00:00+07:00"]) }
        if to == nil { errors.append(["pointer": "/to", "reason": "must be an RFC 3339 time, e.g. 2025-04-02T00:00:00+07:00"]) }
        guard errors.isEmpty, let from, let to else { throw Problem.validation(detail: "the replay range is not valid", errors: errors) }
        guard from < to else {
            throw Problem.validation(detail: "the replay range is empty", errors: [["pointer": "/to", "reason": "must be later than from"]])
        }
        let count = try await deliveries.replay(subscriptionId: record.id, from: from, to: to)
        return try JSONMessages.response(["requeued": count], status: .accepted)
    }

    private func redrive(_ request: Request, _ context: some RequestContext) async throws -> Response {
        let caller = try Caller.subscriber(of: request, replica: replica)
        let record = try await owned(Caller.subscriptionId(context), by: caller)
        let count = try await deliveries.redrive(subscriptionId: record.id)
        return try JSONMessages.response(["requeued": count], status: .accepted)
    }

    // MARK: Helpers

    private static let missing = Problem.notFound(detail: "your agency has no subscription with this id")

    private func owned(_ id: UUID, by caller: AgencyCredential) async throws -> SubscriptionRecord {
        guard let record = try await subscriptions.find(id, agencyId: caller.agencyId) else { throw Self.missing }
        return record
    }

    private func filterProblems(_ filter: SubscriptionFilter?, required: Bool) -> [ProblemMember] {
        guard let filter else {
            return required ? [["pointer": "/filter", "reason": "is required; {} matches every event you may see"]] : []
        }
        return filter.problems().map { ["pointer": .string($0.pointer), "reason": .string($0.reason)] }
    }

    private func throttleProblems(_ seconds: Int?) -> [ProblemMember] {
        guard let seconds, !(0...86_400).contains(seconds) else { return [] }
        return [["pointer": "/throttleSeconds", "reason": .string("must be a whole number of seconds from 0 (every event) to 86400, got \(seconds)")]]
    }

    /// The checked channel URL, or `nil` with the reason appended to `errors`.
    private func channelURL(_ channel: ChannelRequest?, required: Bool, errors: inout [ProblemMember]) -> String? {
        guard let channel else {
            if required { errors.append(["pointer": "/channel", "reason": "is required: {\"type\": \"webhook\", \"url\": \"https://…\"}"]) }
            return nil
        }
        if let type = channel.type, type != "webhook" {
            errors.append(["pointer": "/channel/type", "reason": .string("channel type \(type) is not supported; use webhook")])
        }
        guard let url = channel.url else {
            if required { errors.append(["pointer": "/channel/url", "reason": "is required"]) }
            return nil
        }
        do {
            return try settings.destinations.validate(url).url
        } catch {
            errors.append(["pointer": "/channel/url", "reason": .string(error.detail), "code": .string(error.reason.rawValue)])
            return nil
        }
    }
}

/// A member of a problem's `errors` list (the runtime's JSON value, not the event payloads').
typealias ProblemMember = CityRuntime.JSONValue
