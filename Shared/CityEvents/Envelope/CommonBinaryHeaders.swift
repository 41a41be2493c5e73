/// Where each CloudEvents header of a binary-mode record is, for the fast readers
/// (``CloudEvent/init(kafkaHeaders:value:)`` and ``EventDecoder``), when the record has the common,
/// valid shape: each known header at most once, unknown header names in ASCII, `ce_specversion`
/// `1.0`, `ce_id`, `ce_source`, `ce_type` and `ce_time` present, and a `content-type` of exactly
/// `application/json` when there is a value.
///
/// `nil` for anything else: the full reader then decodes the record or explains the error. The
/// values of the variable headers are not checked here; each reader converts them and gives up (falls
/// back to the full reader) on a value it cannot take.
struct CommonBinaryHeaders {
    /// Index in the header list of `ce_id`, `ce_source`, `ce_type`, `ce_time`.
    let id: Int, source: Int, type: Int, time: Int
    /// Index of `ce_subject` and of `traceparent` (or `ce_traceparent`); -1 when absent.
    let subject: Int, traceparent: Int

    @inline(__always)
    init?(_ headers: [EventHeader], hasValue: Bool) {
        var seen: UInt32 = 0
        var indices = (id: -1, source: -1, type: -1, time: -1, subject: -1, traceparent: -1)
        // Through the buffer, so that each header is read in place rather than copied (retained).
        let common = headers.withUnsafeBufferPointer { headers in
            for index in headers.indices {
                let field = BinaryHeaderField(name: headers[index].name)
                if field == .unknown {
                    // Names are compared as Strings by the full reader; leave anything non-ASCII to it.
                    if !headers[index].name.utf8.allSatisfy({ $0 < 0x80 }) { return false }
                    continue
                }
                let bit: UInt32 = 1 << field.rawValue
                guard seen & bit == 0 else { return false }
                seen |= bit
                switch field {
                case .specVersion: guard headers[index].value == HeaderConstants.specVersion else { return false }
                case .contentType: guard headers[index].value == HeaderConstants.json else { return false }
                case .id: indices.id = index
                case .source: indices.source = index
                case .type: indices.type = index
                case .time: indices.time = index
                case .subject: indices.subject = index
                case .traceparent: indices.traceparent = index
                case .unknown: continue
                }
            }
            return true
        }
        guard common else { return nil }
        let required: UInt32 = 1 << BinaryHeaderField.specVersion.rawValue
        guard seen & required != 0, indices.id >= 0, indices.source >= 0, indices.type >= 0, indices.time >= 0,
            !hasValue || seen & (1 << BinaryHeaderField.contentType.rawValue) != 0
        else { return nil }
        (id, source, type, time, subject, traceparent) = indices
    }
}

/// The CloudEvents headers the binary reader knows, identified by length first so that a header
/// name costs at most two comparisons. `traceparent` and `ce_traceparent` are one field.
enum BinaryHeaderField: UInt32 {
    case unknown, specVersion, id, source, type, time, subject, contentType, traceparent

    @inline(__always)
    init(name: String) {
        switch name.utf8.count {
        case 5: self = name == "ce_id" ? .id : .unknown
        case 7: self = name == "ce_type" ? .type : name == "ce_time" ? .time : .unknown
        case 9: self = name == "ce_source" ? .source : .unknown
        case 10: self = name == "ce_subject" ? .subject : .unknown
        case 11: self = name == "traceparent" ? .traceparent : .unknown
        case 12: self = name == "content-type" ? .contentType : .unknown
        case 14: self = name == "ce_specversion" ? .specVersion : name == "ce_traceparent" ? .traceparent : .unknown
        default: self = .unknown
        }
    }
}

