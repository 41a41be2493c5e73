import CityEvents

/// Turns one publisher record (a JSON object, or a CSV row through a ``CSVMapping``) into an
/// ``ObservationRecorded`` with every measurement converted to its quantity's canonical unit — or a
/// ``RecordError`` naming the field and the reason. Pure: the datasets and the clock are passed in.
public struct ObservationValidator: Sendable {
    /// The publishing agency.
    public let agencyId: String
    public let policy: ValidationPolicy
    /// Looks a dataset up for this agency.
    public let dataset: @Sendable (String) -> DatasetAccess

    // Arrays, not sets: a handful of short names compare faster than a key hashes.
    private static let recordKeys = ["datasetId", "sourceId", "observedAt", "location", "measurements"]
    private static let measurementKeys = ["quantity", "value", "unit"]
    private static let locationKeys = ["lat", "lon", "areaCode"]
    // The location rules, for both the plain and the general path.
    private static let latitudes = -90.0...90.0
    private static let longitudes = -180.0...180.0
    private static let maxAreaCodeLength = 64

    public init(agencyId: String, policy: ValidationPolicy = ValidationPolicy(), dataset: @escaping @Sendable (String) -> DatasetAccess) {
        self.agencyId = agencyId
        self.policy = policy
        self.dataset = dataset
    }

    // MARK: JSON records

    /// Validates a JSON record's bytes (an array element or an NDJSON line).
    public func validate(json bytes: [UInt8], index: Int, now: Timestamp) -> Result<ObservationRecorded, RecordError> {
        var cache = PlainPathCache(sourceSlots: 0)
        return validate(json: bytes, index: index, now: now, cache: &cache)
    }

    /// Validates a JSON record's bytes, one of an upload's: `cache` carries what the plain path
    /// learnt from the upload's earlier records (see ``PlainPathCache``). The same result as
    /// ``validate(json:index:now:)``.
    public func validate(json bytes: [UInt8], index: Int, now: Timestamp, cache: inout PlainPathCache) -> Result<ObservationRecorded, RecordError> {
        if let valid = validPlain(bytes, index: index, now: now, cache: &cache) { return .success(valid) }
        let node: JSONNode
        do throws(JSONSyntaxError) {
            node = try StrictJSONParser.parse(bytes)
        } catch {
            return .failure(RecordError(index: index, field: nil, reason: error.description, code: .malformed))
        }
        return validate(node, index: index, now: now)
    }

    /// Validates a parsed JSON record.
    public func validate(_ node: JSONNode, index: Int, now: Timestamp) -> Result<ObservationRecorded, RecordError> {
        func fail(_ field: String?, _ code: RecordError.Code, _ reason: String) -> Result<ObservationRecorded, RecordError> {
            .failure(RecordError(index: index, field: field, reason: reason, code: code))
        }
        guard case .object(let members) = node else { return fail(nil, .wrongType, "a record must be a JSON object, got \(node.typeName)") }
        if let unknown = members.first(where: { !Self.recordKeys.contains($0.key) }) {
            return fail(unknown.key, .unknownField, "unknown field '\(unknown.key.prefix(64))' (a record has \(Self.recordKeys.sorted().joined(separator: ", ")))")
        }
        guard case .string(let datasetId)? = node["datasetId"] else { return missingOrWrong(node["datasetId"], "datasetId", "a string", index) }
        let snapshot: DatasetSnapshot
        switch dataset(datasetId) {
        case .owned(let found): snapshot = found
        case .notOwned: return fail("datasetId", .forbiddenDataset, "dataset '\(datasetId.prefix(64))' belongs to another agency; an agency publishes only to its own datasets")
        case .unknown: return fail("datasetId", .unknownDataset, "dataset '\(datasetId.prefix(64))' does not exist in the catalog")
        }
        guard case .string(let sourceText)? = node["sourceId"] else { return missingOrWrong(node["sourceId"], "sourceId", "a string", index) }
        guard case .string(let observedText)? = node["observedAt"] else { return missingOrWrong(node["observedAt"], "observedAt", "a string", index) }
        let location: GeoLocation?
        switch parseLocation(node["location"]) {
        case .success(let parsed): location = parsed
        case .failure(let problem): return fail(problem.field, problem.code, problem.reason)
        }
        guard case .array(let items)? = node["measurements"] else { return missingOrWrong(node["measurements"], "measurements", "an array", index) }
        var measurements: [ObservationMeasurement] = []
        for (position, item) in items.enumerated() {
            switch measurement(item, position: position, dataset: snapshot) {
            case .success(let parsed?): measurements.append(parsed)
            case .success(nil): continue
            case .failure(let problem): return fail(problem.field, problem.code, problem.reason)
            }
        }
        return assemble(index: index, dataset: snapshot, sourceId: sourceText, observedAt: observedText, location: location, measurements: measurements, now: now)
    }

    /// The observation of a plain record (``PlainRecord``) that passes every rule, or `nil` — also when
    /// it breaks one: the general path then finds the same problem and describes it. The rules are
    /// those of the general path, checked on the record's bytes through `cache`.
    func validPlain(_ bytes: [UInt8], index: Int, now: Timestamp, cache: inout PlainPathCache) -> ObservationRecorded? {
        var record = PlainRecord()
        swap(&record, &cache.record)  // the measurement list's storage is reused, and `cache` stays free to mutate
        defer { swap(&record, &cache.record) }
        return bytes.withUnsafeBufferPointer { buffer -> ObservationRecorded? in
            guard PlainRecordParser.parse(buffer, into: &record) else { return nil }
            func text(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: buffer[range]) }
            guard let plan = cache.plan(text(record.datasetId), lookUp: dataset) else { return nil }
            var location: GeoLocation?
            if let plain = record.location {
                guard Self.latitudes.contains(plain.lat), Self.longitudes.contains(plain.lon) else { return nil }
                var areaCode: String?
                if let range = plain.areaCode {
                    guard let code = String(validating: text(range), as: UTF8.self), code.count <= Self.maxAreaCodeLength else { return nil }
                    areaCode = code
                }
                location = GeoLocation(lat: plain.lat, lon: plain.lon, areaCode: areaCode)
            }
            var measurements: [ObservationMeasurement] = []
            measurements.reserveCapacity(record.measurements.count)
            for item in record.measurements {
                guard let field = cache.plans[plan].field(named: text(item.quantity)) else { return nil }
                guard let value = item.value else { continue }  // a missing value; its unit is not looked at
                guard let conversion = cache.plans[plan].conversion(field: field, unit: item.unit.map(text)) else { return nil }
                // ``Quantity/canonicalMeasurement(_:unit:)``'s rules (the value itself is finite).
                let canonical = conversion.toCanonical(value)
                let target = cache.plans[plan].fields[field]
                guard canonical.isFinite, target.plausibleRange.contains(canonical) else { return nil }
                measurements.append(ObservationMeasurement(quantity: target.quantityId, value: canonical, unit: target.canonicalUnit))
            }
            guard !measurements.isEmpty else { return nil }
            let sourceBytes = text(record.sourceId)
            guard let sourceId = cache.sources.string(sourceBytes),
                policy.isPlainlyValidSourceId(sourceBytes) || sourceIdProblem(sourceId) == nil
            else { return nil }
            guard let observedAt = Timestamp.parse(utf8: text(record.observedAt)),
                observedAt.secondsSinceEpoch <= now.secondsSinceEpoch + policy.futureTolerance.components.seconds
            else { return nil }
            cache.plainRecords += 1
            return ObservationRecorded(
                observationId: ObservationID.make(datasetId: text(record.datasetId), sourceId: sourceBytes, observedAt: observedAt),
                datasetId: cache.plans[plan].snapshot.id, agencyId: agencyId, sourceId: sourceId, observedAt: observedAt,
                location: location, measurements: measurements)
        }
    }

    private func missingOrWrong(_ value: JSONNode?, _ field: String, _ expected: String, _ index: Int) -> Result<ObservationRecorded, RecordError> {
        guard let value else { return .failure(RecordError(index: index, field: field, reason: "'\(field)' is required", code: .missingField)) }
        return .failure(RecordError(index: index, field: field, reason: "'\(field)' must be \(expected), got \(value.typeName)", code: .wrongType))
    }

    private struct FieldProblem: Error {
        var field: String
        var code: RecordError.Code
        var reason: String
    }

    private func parseLocation(_ node: JSONNode?) -> Result<GeoLocation?, FieldProblem> {
        guard let node, node != .null else { return .success(nil) }
        guard case .object(let members) = node else { return .failure(FieldProblem(field: "location", code: .wrongType, reason: "'location' must be an object {lat, lon}, got \(node.typeName)")) }
        if let unknown = members.first(where: { !Self.locationKeys.contains($0.key) }) {
            return .failure(FieldProblem(field: "location.\(unknown.key.prefix(64))", code: .unknownField, reason: "unknown field '\(unknown.key.prefix(64))' in location (lat, lon, areaCode)"))
        }
        guard case .number(let lat, _)? = node["lat"], lat.isFinite, Self.latitudes.contains(lat) else {
            return .failure(FieldProblem(field: "location.lat", code: .location, reason: "location.lat must be a number between -90 and 90"))
        }
        guard case .number(let lon, _)? = node["lon"], lon.isFinite, Self.longitudes.contains(lon) else {
            return .failure(FieldProblem(field: "location.lon", code: .location, reason: "location.lon must be a number between -180 and 180"))
        }
        var areaCode: String?
        if let area = node["areaCode"], area != .null {
            guard case .string(let text) = area, text.count <= Self.maxAreaCodeLength else {
                return .failure(FieldProblem(field: "location.areaCode", code: .wrongType, reason: "location.areaCode must be a string of at most \(Self.maxAreaCodeLength) characters"))
            }
            areaCode = text
        }
        return .success(GeoLocation(lat: lat, lon: lon, areaCode: areaCode))
    }

    private func measurement(_ node: JSONNode, position: Int, dataset: DatasetSnapshot) -> Result<ObservationMeasurement?, FieldProblem> {
        var path: String { "measurements[\(position)]" }  // built only for an error message
        guard case .object(let members) = node else { return .failure(FieldProblem(field: path, code: .wrongType, reason: "\(path) must be an object {quantity, value, unit}, got \(node.typeName)")) }
        if let unknown = members.first(where: { !Self.measurementKeys.contains($0.key) }) {
            return .failure(FieldProblem(field: "\(path).\(unknown.key.prefix(64))", code: .unknownField, reason: "unknown field '\(unknown.key.prefix(64))' in a measurement (quantity, value, unit)"))
        }
        guard case .string(let quantityName)? = node["quantity"] else {
            return .failure(FieldProblem(field: "\(path).quantity", code: node["quantity"] == nil ? .missingField : .wrongType, reason: "\(path).quantity must be a string"))
        }
        guard let field = Self.field(for: quantityName, in: dataset) else {
            return .failure(FieldProblem(field: "\(path).quantity", code: .unknownQuantity, reason: "quantity '\(quantityName.prefix(64))' is not a field of dataset '\(dataset.id)' (fields: \(dataset.fields.map(\.quantity).joined(separator: ", ")))"))
        }
        let unit: String
        switch node["unit"] {
        case .string(let text)?: unit = text
        case nil, .null?: unit = field.unit
        case let other?: return .failure(FieldProblem(field: "\(path).unit", code: .wrongType, reason: "\(path).unit must be a string, got \(other.typeName)"))
        }
        switch node["value"] {
        case .null?: return .success(nil)
        case .number(let value, let text)?:
            guard value.isFinite else { return .failure(FieldProblem(field: "\(path).value", code: .notFinite, reason: "\(path).value \(text.prefix(40)) is not a finite number")) }
            do throws(MeasurementError) {
                return .success(try MeasurementParser.measurement(value, quantity: field.quantity, unit: unit))
            } catch {
                return .failure(Self.problem(error, field: "\(path).\(Self.isUnitError(error) ? "unit" : "value")"))
            }
        case nil: return .failure(FieldProblem(field: "\(path).value", code: .missingField, reason: "\(path).value is required (null for a missing value)"))
        case let other?: return .failure(FieldProblem(field: "\(path).value", code: .wrongType, reason: "\(path).value must be a number, got \(other.typeName)"))
        }
    }

    // MARK: CSV rows

    /// Validates a CSV data row through `mapping` (built from the header row).
    public func validate(row: [String], mapping: CSVMapping, index: Int, now: Timestamp) -> Result<ObservationRecorded, RecordError> {
        guard row.count == mapping.columnCount else {
            return .failure(RecordError(index: index, field: nil, reason: "the row has \(row.count) fields, the header has \(mapping.columnCount)", code: .malformed))
        }
        let sourceId = mapping.sourceColumn.map { row[$0] } ?? mapping.fixedSourceId ?? ""
        var measurements: [ObservationMeasurement] = []
        for column in mapping.measurementColumns {
            do throws(MeasurementError) {
                if let parsed = try MeasurementParser.parse(row[column.index], quantity: column.field.quantity, declaredUnit: column.field.unit) {
                    measurements.append(parsed)
                }
            } catch {
                let problem = Self.problem(error, field: column.field.column)
                return .failure(RecordError(index: index, field: problem.field, reason: problem.reason, code: problem.code))
            }
        }
        return assemble(index: index, dataset: mapping.dataset, sourceId: sourceId, observedAt: row[mapping.timeColumn], location: nil, measurements: measurements, now: now, timeField: mapping.dataset.timeColumn, sourceField: mapping.dataset.sourceColumn ?? "sourceId")
    }

    // MARK: Shared rules

    private func assemble(
        index: Int, dataset: DatasetSnapshot, sourceId: String, observedAt: String, location: GeoLocation?,
        measurements: [ObservationMeasurement], now: Timestamp, timeField: String = "observedAt", sourceField: String = "sourceId"
    ) -> Result<ObservationRecorded, RecordError> {
        if let reason = sourceIdProblem(sourceId) {
            return .failure(RecordError(index: index, field: sourceField, reason: reason, code: .source))
        }
        let timestamp: Timestamp
        switch Timestamp.parse(observedAt) {
        case .success(let parsed): timestamp = parsed
        case .failure(let error): return .failure(RecordError(index: index, field: timeField, reason: error.description, code: .timestamp))
        }
        let tolerance = policy.futureTolerance.components.seconds
        if timestamp.secondsSinceEpoch > now.secondsSinceEpoch + tolerance {
            return .failure(RecordError(index: index, field: timeField, reason: "\(observedAt.prefix(40)) is more than \(tolerance / 60) minutes in the future (now \(now.utc.rfc3339))", code: .future))
        }
        guard !measurements.isEmpty else {
            return .failure(RecordError(index: index, field: nil, reason: "the record has no measured value (every value is missing)", code: .noMeasurements))
        }
        return .success(ObservationRecorded(datasetId: dataset.id, agencyId: agencyId, sourceId: sourceId, observedAt: timestamp, location: location, measurements: measurements))
    }

    /// Source ids are names of stations or sensors: letters of any script, digits, spaces and `._:-`,
    /// 1–128 characters — nothing that could be markup or a query.
    func sourceIdProblem(_ sourceId: String) -> String? {
        if sourceId.isEmpty { return "the source id is required (a station or sensor id)" }
        if sourceId.count > policy.maxSourceIdLength { return "the source id is longer than \(policy.maxSourceIdLength) characters" }
        let allowed = sourceId.unicodeScalars.allSatisfy { scalar in
            if scalar.isASCII { return ValidationPolicy.isSourceIdASCII(UInt8(scalar.value)) }  // without a Unicode property lookup
            return scalar.properties.isAlphabetic || scalar.properties.numericType != nil
                || scalar.properties.generalCategory == .nonspacingMark || " ._:-".unicodeScalars.contains(scalar)
        }
        guard allowed, sourceId.first != " ", sourceId.last != " " else {
            return "source id '\(sourceId.prefix(64))' may hold only letters, digits, spaces and . _ : - (no leading or trailing space)"
        }
        return nil
    }

    static func field(for quantity: String, in dataset: DatasetSnapshot) -> DatasetField? {
        if let exact = dataset.fields.first(where: { $0.quantity == quantity }) { return exact }
        guard let canonical = QuantityRegistry.quantity(quantity)?.id else { return nil }
        return dataset.fields.first { QuantityRegistry.quantity($0.quantity)?.id == canonical }
    }

    private static func isUnitError(_ error: MeasurementError) -> Bool {
        if case .unitNotConvertible = error { return true }
        return false
    }

    private static func problem(_ error: MeasurementError, field: String) -> FieldProblem {
        let code: RecordError.Code
        switch error {
        case .unknownQuantity: code = .unknownQuantity
        case .unitNotConvertible: code = .unit
        case .notANumber: code = .wrongType
        case .notFinite: code = .notFinite
        case .outOfRange: code = .outOfRange
        }
        return FieldProblem(field: field, code: code, reason: error.description)
    }
}
