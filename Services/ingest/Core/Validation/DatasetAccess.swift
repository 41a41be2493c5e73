import CityEvents

/// What ingest knows about a dataset a record names, from the publisher's point of view.
public enum DatasetAccess: Sendable {
    /// The dataset exists and the publishing agency owns it.
    case owned(DatasetSnapshot)
    /// The dataset exists but belongs to another agency.
    case notOwned(owner: String)
    /// No such dataset in the catalog.
    case unknown
}

/// The validation rules that are configuration rather than data.
public struct ValidationPolicy: Sendable {
    /// How far in the future an observation time may be (clock skew allowance). Default 5 minutes.
    public var futureTolerance: Duration = .seconds(300)
    /// The longest source id accepted.
    public var maxSourceIdLength = 128

    public init() {}
}

extension ValidationPolicy {
    /// Whether a source id's bytes are certainly valid without a closer look: ASCII letters, digits,
    /// spaces and `._:-` only, no leading or trailing space, 1 to ``maxSourceIdLength`` bytes.
    /// `false` says nothing (non-ASCII letters are valid too): ``ObservationValidator``'s full rule decides.
    func isPlainlyValidSourceId(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard !bytes.isEmpty, bytes.count <= maxSourceIdLength, bytes[0] != 0x20, bytes[bytes.count - 1] != 0x20 else { return false }
        return bytes.allSatisfy(Self.isSourceIdASCII)
    }

    /// The ASCII bytes a source id may hold: letters, digits, space and `._:-`.
    static func isSourceIdASCII(_ byte: UInt8) -> Bool {
        let letter = byte | 0x20
        return (byte >= 0x30 && byte <= 0x39) || (letter >= 0x61 && letter <= 0x7A) || byte == 0x20 || byte == 0x2E || byte == 0x5F
            || byte == 0x3A || byte == 0x2D
    }
}
