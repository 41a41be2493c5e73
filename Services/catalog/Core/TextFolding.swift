import Foundation

/// Folds text for search: lowercase, Vietnamese (and other Latin) diacritics removed, `đ` → `d`, so
/// that "HÀ NỘI", "Hà Nội" and "ha noi" all fold to "ha noi".
///
/// Postgres' `unaccent` needs a superuser to install, so the catalog folds in Swift and stores the
/// folded text; queries are folded the same way before they reach the database.
public enum TextFolding {
    /// The folded form of `text`.
    public static func fold(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars {
            switch scalar.value {
            case 0x0300...0x036F: continue  // combining diacritical marks (tones, hats, horns, breves)
            case 0x0111, 0x0110: scalars.append("d")  // đ Đ have no decomposition
            default: scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    /// The words of `text` after folding: maximal runs of letters and digits.
    public static func words(_ text: String) -> [String] {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        for scalar in fold(text).unicodeScalars {
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                current.append(scalar)
            } else if !current.isEmpty {
                words.append(String(current))
                current = String.UnicodeScalarView()
            }
        }
        if !current.isEmpty { words.append(String(current)) }
        return words
    }
}
