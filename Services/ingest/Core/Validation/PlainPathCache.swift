import CityEvents

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the plain-record path (``ObservationValidator/validate(json:index:now:cache:)``) remembers
/// from one record to the next of an upload: the datasets named so far with their fields resolved,
/// the spellings of quantities and units already matched to them, and the source ids already read —
/// so that a record of the usual upload (one dataset, a few units, a few hundred stations) is
/// validated by comparing bytes, without making a `String` or looking anything up by name.
///
/// Keep one per upload. Bounded whatever the input: at most ``maximumDatasets`` datasets, and per
/// dataset at most ``maximumSpellings`` quantity spellings and as many unit spellings per field;
/// the source-id cache has a fixed number of slots. What does not fit is simply resolved again.
/// A dataset is looked up in the catalog once per upload: a record of it is validated against the
/// dataset as it was when the upload first named it.
public struct PlainPathCache: Sendable {
    static let maximumDatasets = 8
    static let maximumSpellings = 16

    /// How many records the plain path validated (the others went the general way).
    public internal(set) var plainRecords = 0
    var record = PlainRecord()
    var plans: [DatasetPlan] = []
    var sources: StringInterner

    /// A cache for one upload.
    public init() {
        self.init(sourceSlots: 256)
    }

    /// A cache with `sourceSlots` slots for source ids (`0`: none, for a single record).
    init(sourceSlots: Int) {
        sources = StringInterner(capacity: sourceSlots)
    }

    /// The plan of the dataset spelled by `bytes`, if the publishing agency owns it.
    mutating func plan(_ bytes: UnsafeBufferPointer<UInt8>, lookUp: (String) -> DatasetAccess) -> Int? {
        for index in plans.indices where plans[index].idBytes.spells(bytes) { return index }
        guard let id = String(validating: bytes, as: UTF8.self), case .owned(let snapshot) = lookUp(id) else { return nil }
        if plans.count == Self.maximumDatasets { plans.removeFirst() }
        plans.append(DatasetPlan(snapshot))
        return plans.count - 1
    }
}

/// A dataset as the plain path uses it: its fields, each with its quantity resolved, and the
/// spellings met so far mapped to fields and to unit conversions.
struct DatasetPlan: Sendable {
    /// One field of the dataset, resolved.
    struct Field: Sendable {
        let declared: DatasetField
        /// `nil` when the field names a quantity the registry does not know (its records then take
        /// the general path, which says so).
        let quantity: Quantity?
        /// What a measurement of the field is written as: the quantity's id and canonical unit.
        let quantityId: String
        let canonicalUnit: String
        /// The quantity's plausible range, in the canonical unit.
        let plausibleRange: ClosedRange<Double>

        init(_ declared: DatasetField) {
            self.declared = declared
            quantity = QuantityRegistry.quantity(declared.quantity)
            quantityId = quantity?.id ?? ""
            canonicalUnit = quantity?.canonicalUnit.symbol ?? ""
            plausibleRange = quantity?.plausibleRange ?? 0...0
        }
        /// The conversion of the declared unit, once resolved (`.some(nil)`: not convertible).
        var declaredConversion: UnitConversion??
        /// Unit spellings met so far and their conversions.
        var units: [(spelling: [UInt8], conversion: UnitConversion)] = []
    }

    let snapshot: DatasetSnapshot
    let idBytes: [UInt8]
    var fields: [Field]
    /// Quantity spellings met so far and the field each names.
    var quantities: [(spelling: [UInt8], field: Int)]

    init(_ snapshot: DatasetSnapshot) {
        self.snapshot = snapshot
        idBytes = Array(snapshot.id.utf8)
        fields = snapshot.fields.map(Field.init)
        // A field's own spelling names it (the first such field, as ``ObservationValidator/field(for:in:)``).
        quantities = []
        for (index, field) in snapshot.fields.enumerated() where !quantities.contains(where: { $0.spelling.elementsEqual(field.quantity.utf8) }) {
            quantities.append((Array(field.quantity.utf8), index))
        }
    }

    /// The field a measurement's `quantity` bytes name, or `nil` (not a field, or not valid UTF-8).
    mutating func field(named bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        for entry in quantities where entry.spelling.spells(bytes) { return entry.field }
        guard let name = String(validating: bytes, as: UTF8.self), let field = ObservationValidator.field(for: name, in: snapshot),
            let index = snapshot.fields.firstIndex(of: field)
        else { return nil }
        if quantities.count < PlainPathCache.maximumSpellings { quantities.append((Array(bytes), index)) }
        return index
    }

    /// The conversion to canonical of a value of field `index` in the unit spelled by `bytes` (`nil`:
    /// the field's declared unit), or `nil` when that unit is not accepted for the quantity.
    mutating func conversion(field index: Int, unit bytes: UnsafeBufferPointer<UInt8>?) -> UnitConversion? {
        guard let quantity = fields[index].quantity else { return nil }
        guard let bytes else {
            if let resolved = fields[index].declaredConversion { return resolved }
            let resolved = Self.conversion(of: quantity, spelling: fields[index].declared.unit)
            fields[index].declaredConversion = .some(resolved)
            return resolved
        }
        for entry in fields[index].units where entry.spelling.spells(bytes) { return entry.conversion }
        guard let spelling = String(validating: bytes, as: UTF8.self), let conversion = Self.conversion(of: quantity, spelling: spelling)
        else { return nil }
        if fields[index].units.count < PlainPathCache.maximumSpellings { fields[index].units.append((Array(bytes), conversion)) }
        return conversion
    }

    /// What ``MeasurementParser/measurement(_:quantity:unit:)`` converts with for this spelling.
    private static func conversion(of quantity: Quantity, spelling: String) -> UnitConversion? {
        do throws(MeasurementError) {
            return quantity.conversions[try quantity.unit(spelling)]
        } catch {
            return nil
        }
    }
}

extension [UInt8] {
    /// Whether these are exactly `bytes` (one `memcmp`).
    @inline(__always)
    fileprivate func spells(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard count == bytes.count else { return false }
        guard count > 0 else { return true }
        return withUnsafeBufferPointer { memcmp($0.baseAddress!, bytes.baseAddress!, count) == 0 }
    }
}
