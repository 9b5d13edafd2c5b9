import Foundation
import MinqingDomain
import Testing

/// The house rules of docs/architecture.md that a reader of the source can check: each fails
/// with the files that break it.
@Suite("House rules")
struct HouseRulesTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources")

    /// Every Swift file under `Sources/` as (path relative to it, text).
    static func files() throws -> [(path: String, text: String)] {
        let root = sources.standardizedFileURL.path
        guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
        var found: [(String, String)] = []
        while let relative = walker.nextObject() as? String {
            guard relative.hasSuffix(".swift") else { continue }
            found.append((relative, try String(contentsOfFile: root + "/" + relative, encoding: .utf8)))
        }
        return found.sorted { $0.0 < $1.0 }
    }

    /// What counts as SQL: raw statements, SQLKit's builders, query strings, statement keywords.
    static var sql: Regex<AnyRegexOutput> {
        try! Regex(
            #"\.raw\("|\.insert\(into:|\.update\("|\.delete\(from:|\.select\(\)|SQLQueryString|\bSELECT\b[^"\n]*\bFROM\b|\bINSERT INTO\b|\bDELETE FROM\b"#
        )
    }

    /// Files allowed to hold SQL: a capability's `…Queries`, `…Store` and `…Migrations` files and
    /// the SQL helpers. The demo's bulk loaders and the benchmarks write and read tables directly
    /// by design; they live in their own targets, outside the product library.
    static func mayHoldSQL(_ path: String) -> Bool {
        if path.hasPrefix("MinqingDemo/") || path.hasPrefix("MinqingBenchSupport/") || path.hasPrefix("minqing-bench/") { return true }
        let name = (path as NSString).lastPathComponent
        return path == "MinqingServer/App/DatabaseSupport.swift"
            || name.firstMatch(of: /(Queries|Store|Migrations)(\+[A-Za-z0-9]+)?\.swift$/) != nil
    }

    /// Files that still hold SQL outside their capability's Queries files, to be moved; the test
    /// also fails when one of them no longer does, so the list only shrinks.
    static let notYetMoved: Set<String> = []

    @Test("SQL lives only in a capability's Queries, Store and Migrations files")
    func sqlInOnePlace() throws {
        let files = try Self.files()
        #expect(files.count > 300, "the sources were found")
        let holding = Set(files.filter { !Self.mayHoldSQL($0.path) && $0.text.contains(Self.sql) }.map(\.path))
        #expect(holding.subtracting(Self.notYetMoved).sorted() == [], "SQL outside a Queries file")
        #expect(Self.notYetMoved.subtracting(holding).sorted() == [], "moved already: take them off notYetMoved")
        // Pages, views and controllers place no unescaped markup or statement text either: a drawn
        // SVG goes through PageParts.drawnSVG, SQL through a Queries file.
        let handlers = files.filter { $0.path.contains(/(Pages|Views|Controller)[^\/]*\.swift$/) && !$0.path.contains("Queries") }
        #expect(!handlers.isEmpty)
        #expect(handlers.filter { $0.text.contains(".raw(") }.map(\.path) == [])
        // The check itself finds SQL where it is.
        #expect(files.contains { $0.path == "MinqingServer/Grid/GridQueries.swift" && $0.text.contains(Self.sql) })
    }

    @Test("the product's targets hold no demo and no bench code")
    func noDemoInProduct() throws {
        let product = try Self.files().filter { $0.path.hasPrefix("MinqingServer/") || $0.path.hasPrefix("MinqingDomain/") }
        #expect(!product.isEmpty)
        let named = product.filter { ($0.path as NSString).lastPathComponent.contains("Demo") || $0.path.contains("BenchHooks") }
        #expect(named.map(\.path) == [])
        let using = product.filter { $0.text.contains(/\b(DemoData|BenchHooks|RegistryDemo|VisitsDemo|CasesDemo|VotingDemo)\b/) }
        #expect(using.map(\.path) == [])
    }

    @Test("one way to reach SQL, one write context, one path-id reader")
    func oneWayEach() throws {
        let files = try Self.files()
        let casts = files.filter { $0.path != "MinqingServer/App/DatabaseSupport.swift" && $0.text.contains(/as! (any )?SQLDatabase/) }
        #expect(casts.map(\.path) == [], "use db.sql")
        let writers = files.filter { $0.text.contains(/\bstruct (Writer|CaseWriter)\b/) }
        #expect(writers.map(\.path) == [], "use WriteContext")
        let idReaders = files.filter { $0.text.contains(/static func id\(_ req: Request/) }
        #expect(idReaders.map(\.path) == [], "use req.pathID")
        let timeCopies = files.filter {
            $0.path != "MinqingServer/Web/PageParts.swift" && $0.text.contains(/func (localTime|shortTime|errorBox|pager)\(/)
        }
        #expect(timeCopies.map(\.path) == [], "use LocalTime and PageParts")
    }
    /// A page path written as a string: `"/cases/…"`, `.href("/")`. Only `Web/SiteURL.swift`
    /// spells the site's pages; everything else links through it.
    static var pagePath: Regex<AnyRegexOutput> {
        try! Regex(
            #"\"/(account|admin|assets|cases|cobuilding|dashboard|dual|grid|lang|login|logout|organisations|oversight|privacy|registry|services|staff|visits|voting)([/?#"]|\\\()|(\.href|\.action)\(\"/\"|redirect\(to: \"/\""#
        )
    }

    @Test("pages are registered and linked through SiteURL only")
    func typedRoutes() throws {
        let files = try Self.files().filter { $0.path.hasPrefix("MinqingServer/") }
        let spelled = files.filter { $0.path != "MinqingServer/Web/SiteURL.swift" && $0.text.contains(Self.pagePath) }
        #expect(spelled.map(\.path) == [], "a page path outside SiteURL")
        // The check itself finds page paths where they are, and the API's paths are not pages.
        #expect(files.contains { $0.path == "MinqingServer/Web/SiteURL.swift" && $0.text.contains(/\"cases\"/) })
        #expect(#"x.href("/cases/\(id)")"#.contains(Self.pagePath) && #"redirect(to: "/")"#.contains(Self.pagePath))
        #expect(!#""/api/v1/cases""#.contains(Self.pagePath) && !#"cookie(path: "/")"#.contains(Self.pagePath))
    }

    @Test("every audit action written in the sources has words a person reads")
    func auditActionsNamed() throws {
        var codes: Set<String> = []
        for file in try Self.files() where !file.path.hasPrefix("MinqingDomain/") {
            // `action: "pii.revealed"` in an AuditEntry, or the two-way forms `"token.issued" : "login"`.
            for match in file.text.matches(of: /AuditEntry\(\s*action:\s*([^\n]*?),\s*[a-zA-Z]+:/) {
                for literal in match.output.1.matches(of: /(== )?"([a-z_]+(?:\.[a-z_]+)*)"/) where literal.output.1 == nil {
                    codes.insert(String(literal.output.2))
                }
            }
        }
        // Written with a variable part: each value the part takes.
        for move in CaseAction.allCases { codes.insert("case.\(move.rawValue)") }
        for slot in ["open", "close", "block"] { codes.insert("service_slot.\(slot)") }
        #expect(codes.count > 60, "the audit entries were found")
        #expect(codes.contains("login") && codes.contains("pii.revealed"))
        #expect(codes.filter { !AuditActions.isNamed($0) }.sorted() == [])
        #expect(AuditActions.name("no.such_code", zh: true) == "其他操作")
    }
}
