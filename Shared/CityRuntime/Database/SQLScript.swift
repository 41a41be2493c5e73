import Foundation

/// Splits a SQL script into single statements for the extended query protocol, which runs one
/// statement at a time.
///
/// Semicolons inside `'strings'`, `"identifiers"`, `E'escaped\' strings'`, `$tag$dollar quotes$tag$`,
/// `-- line comments` and `/* nested block comments */` do not split. Statements that are empty
/// or only comments are dropped.
public enum SQLScript {
    public static func statements(in script: String) -> [String] {
        let text = Array(script.unicodeScalars)
        var statements: [String] = []
        var current = String.UnicodeScalarView()
        var hasCode = false
        var index = 0

        func flush() {
            let statement = String(current).trimmingCharacters(in: .whitespacesAndNewlines)
            if hasCode && !statement.isEmpty { statements.append(statement) }
            current = String.UnicodeScalarView()
            hasCode = false
        }
        func copy(until end: Int) {
            current.append(contentsOf: text[index..<min(end, text.count)])
            index = min(end, text.count)
        }

        while index < text.count {
            let scalar = text[index]
            let next: Unicode.Scalar? = index + 1 < text.count ? text[index + 1] : nil
            switch scalar {
            case ";":
                index += 1
                flush()
            case "-" where next == "-":
                copy(until: (text[index...].firstIndex(of: "\n") ?? text.count))
            case "/" where next == "*":
                copy(until: blockCommentEnd(text, from: index))
            case "'", "\"":
                hasCode = true
                let backslashEscapes = scalar == "'" && index > 0 && (text[index - 1] == "E" || text[index - 1] == "e")
                copy(until: quotedEnd(text, from: index, quote: scalar, backslashEscapes: backslashEscapes))
            case "$":
                hasCode = true
                if let tagEnd = dollarTagEnd(text, from: index) {
                    let tag = Array(text[index...tagEnd])
                    let bodyEnd = find(tag, in: text, from: tagEnd + 1).map { $0 + tag.count } ?? text.count
                    copy(until: bodyEnd)
                } else {
                    copy(until: index + 1)
                }
            default:
                if !scalar.properties.isWhitespace { hasCode = true }
                copy(until: index + 1)
            }
        }
        flush()
        return statements
    }

    private static func blockCommentEnd(_ text: [Unicode.Scalar], from start: Int) -> Int {
        var depth = 0
        var index = start
        while index + 1 < text.count {
            if text[index] == "/" && text[index + 1] == "*" { depth += 1; index += 2; continue }
            if text[index] == "*" && text[index + 1] == "/" {
                depth -= 1
                index += 2
                if depth == 0 { return index }
                continue
            }
            index += 1
        }
        return text.count
    }

    private static func quotedEnd(_ text: [Unicode.Scalar], from start: Int, quote: Unicode.Scalar, backslashEscapes: Bool) -> Int {
        var index = start + 1
        while index < text.count {
            if backslashEscapes && text[index] == "\\" { index += 2; continue }
            if text[index] == quote {
                if index + 1 < text.count && text[index + 1] == quote { index += 2; continue }
                return index + 1
            }
            index += 1
        }
        return text.count
    }

    /// The index of the closing `$` of a dollar-quote tag starting at `start`, if it is one.
    private static func dollarTagEnd(_ text: [Unicode.Scalar], from start: Int) -> Int? {
        if start > 0, text[start - 1].properties.isAlphabetic || text[start - 1] == "_" || ("0"..."9").contains(text[start - 1]) {
            return nil
        }
        var index = start + 1
        while index < text.count {
            let scalar = text[index]
            if scalar == "$" { return index }
            let allowed = scalar.properties.isAlphabetic || scalar == "_" || (index > start + 1 && ("0"..."9").contains(scalar))
            if !allowed { return nil }
            index += 1
        }
        return nil
    }

    private static func find(_ needle: [Unicode.Scalar], in text: [Unicode.Scalar], from start: Int) -> Int? {
        guard needle.count <= text.count else { return nil }
        var index = start
        while index + needle.count <= text.count {
            if text[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}
