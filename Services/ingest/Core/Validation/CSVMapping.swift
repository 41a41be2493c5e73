import CityEvents

/// How the columns of a CSV upload map to an observation, built from its header row and the
/// dataset's `timeColumn`, `sourceColumn` and `fields[].column`. Columns the dataset does not name
/// (the IQAir files' `city`, `weather_icon`) are ignored.
public struct CSVMapping: Sendable {
    /// A column that carries a dataset field.
    public struct MeasurementColumn: Sendable {
        public var index: Int
        public var field: DatasetField
    }

    public let dataset: DatasetSnapshot
    public let columnCount: Int
    public let timeColumn: Int
    public let sourceColumn: Int?
    public let fixedSourceId: String?
    public let measurementColumns: [MeasurementColumn]

    /// Builds the mapping, or says why the header cannot be used (the request is refused with 422).
    public static func make(header: [String], dataset: DatasetSnapshot, sourceIdParameter: String?) -> Result<CSVMapping, CSVHeaderError> {
        let names = header.map { $0.trimmingCharacters() }
        var seen = Set<String>()
        for name in names where !name.isEmpty {
            guard seen.insert(name).inserted else { return .failure(CSVHeaderError("the header names column '\(name.prefix(64))' twice")) }
        }
        guard let time = names.firstIndex(of: dataset.timeColumn) else {
            return .failure(CSVHeaderError("the header has no time column '\(dataset.timeColumn)' (the dataset's timeColumn)"))
        }
        var source: Int?
        if let sourceColumn = dataset.sourceColumn {
            guard let index = names.firstIndex(of: sourceColumn) else {
                return .failure(CSVHeaderError("the header has no source column '\(sourceColumn)' (the dataset's sourceColumn)"))
            }
            source = index
        } else if sourceIdParameter?.isEmpty ?? true {
            return .failure(CSVHeaderError("the dataset has no sourceColumn, so the request needs a sourceId query parameter"))
        }
        let columns = dataset.fields.compactMap { field in names.firstIndex(of: field.column).map { MeasurementColumn(index: $0, field: field) } }
        guard !columns.isEmpty else {
            return .failure(CSVHeaderError("the header has none of the dataset's field columns (\(dataset.fields.map(\.column).joined(separator: ", ")))"))
        }
        return .success(CSVMapping(
            dataset: dataset, columnCount: names.count, timeColumn: time, sourceColumn: source,
            fixedSourceId: source == nil ? sourceIdParameter : nil, measurementColumns: columns
        ))
    }
}

/// A CSV header that cannot be mapped onto the dataset.
public struct CSVHeaderError: Error, Sendable, Hashable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

extension String {
    func trimmingCharacters() -> String {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text)
    }
}
