import CityRuntime
import Testing

@Suite("DATABASE_URL parsing")
struct DatabaseURLTests {
    @Test func parsesAllParts() throws {
        let url = try #require(DatabaseURL.parse("postgresql://cat%40log:p%40ss@10.0.0.5:6543/citydata?sslmode=require"))
        #expect(url.username == "cat@log")
        #expect(url.password == "p@ss")
        #expect(url.host == "10.0.0.5")
        #expect(url.port == 6543)
        #expect(url.database == "citydata")
        #expect(url.sslMode == .require)
    }

    @Test func redactsPassword() throws {
        let url = try #require(DatabaseURL.parse("postgres://ingest:top-secret@localhost/citydata"))
        #expect(url.description == "postgres://ingest:***@localhost:5432/citydata?sslmode=disable")
        #expect(!"\(url)".contains("top-secret"))
    }

    @Test func unredactedStringRoundTrips() throws {
        let url = DatabaseURL(host: "db", port: 5433, username: "ingest", password: "p@ss/w:rd", database: "citydata", sslMode: .require)
        #expect(DatabaseURL.parse(url.unredactedString) == url)
    }

    @Test(arguments: [
        "http://u:p@h/db", "postgres://h/db", "postgres://u:p@h", "postgres://u:p@h/db?sslmode=verify-full",
        "postgres://u:p@h:0/db", "postgres://u:p@h/db?application_name=x", "not a url",
    ])
    func rejects(_ text: String) {
        #expect(DatabaseURL.parse(text) == nil)
    }

    @Test func bootstrapServers() {
        #expect(BootstrapServers.validate("a:1,[::1]:9092") == "a:1,[::1]:9092")
        #expect(BootstrapServers.validate("a:1,") == "a:1")
        #expect(BootstrapServers.validate("a:b") == nil)
        #expect(BootstrapServers.validate("::1:9092") == nil)
        #expect(BootstrapServers.validate("") == nil)
    }
}
