import CatalogCore
import Testing

@Suite("Text folding for search")
struct TextFoldingTests {
    @Test("Vietnamese capitals and tones fold to plain lowercase ASCII")
    func vietnameseFolds() {
        #expect(TextFolding.fold("HÀ NỘI") == "ha noi")
        #expect(TextFolding.fold("Hà Nội") == "ha noi")
        #expect(TextFolding.fold("Chất lượng không khí") == "chat luong khong khi")
        #expect(TextFolding.fold("Thừa Thiên Huế") == "thua thien hue")
    }

    @Test("đ and Đ, which have no Unicode decomposition, become d")
    func dStroke() {
        #expect(TextFolding.fold("Đà Nẵng") == "da nang")
        #expect(TextFolding.fold("đường") == "duong")
    }

    @Test("Precomposed and decomposed input fold the same")
    func normalisationForms() {
        let decomposed = "Ha\u{0300} N\u{00F4}\u{0323}i"  // a + grave, ô + dot below
        #expect(TextFolding.fold(decomposed) == TextFolding.fold("Hà Nội"))
    }

    @Test("Words split on punctuation and keep digits")
    func words() {
        #expect(TextFolding.words("  PM2.5 — Hà Nội, 2025!") == ["pm2", "5", "ha", "noi", "2025"])
        #expect(TextFolding.words("") == [])
    }
}
