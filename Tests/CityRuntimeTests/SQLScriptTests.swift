import CityRuntime
import Testing

@Suite("Splitting migration SQL")
struct SQLScriptTests {
    @Test func splitsOnlyOnStatementSemicolons() {
        let script = """
            -- a comment; not a statement
            CREATE TABLE t (a text DEFAULT 'x;y', "odd;name" int);
            /* block; /* nested; */ still comment */
            INSERT INTO t (a) VALUES (E'it\\'s;'), ('a''b;c');
            CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $body$ SELECT 1; $body$;
            DO $$ BEGIN PERFORM 1; END $$;
            ;
            -- trailing comment only
            """
        let statements = SQLScript.statements(in: script)
        #expect(statements.count == 4)
        #expect(statements[0].hasSuffix(#"CREATE TABLE t (a text DEFAULT 'x;y', "odd;name" int)"#))
        #expect(statements[1].hasSuffix(#"INSERT INTO t (a) VALUES (E'it\'s;'), ('a''b;c')"#))
        #expect(statements[2] == "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $body$ SELECT 1; $body$")
        #expect(statements[3] == "DO $$ BEGIN PERFORM 1; END $$")
    }

    @Test func positionalParametersAreNotDollarQuotes() {
        #expect(SQLScript.statements(in: "SELECT $1; SELECT 2") == ["SELECT $1", "SELECT 2"])
    }
}
