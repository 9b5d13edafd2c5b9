import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// No reconstruction: a role that may not reveal numbers is never shown enough to complete one.
/// Everything a grid worker reads about the persons in scope (JSON, pages, lists, the CSV) is
/// gathered; for each person the ID numbers consistent with all of it are counted — assuming
/// the attacker even knows the six-digit area code and the birth month — and there must be at
/// least 1,000.
@Suite("No reconstruction of ID numbers from what a role is shown")
struct ReconstructionTests {
    /// GB 11643's check characters for Σ mod 11 = 0…10.
    static let checkTable: [Character] = ["1", "0", "X", "9", "8", "7", "6", "5", "4", "3", "2"]

    /// The 18-character numbers with `area` (six digits), a birth date in `year` (every valid
    /// day, or only `date` when it was shown), a sequence of the sex's parity (odd = male)
    /// unless `sequenceTail` fixes digits 15–17, and the check character `check`.
    static func candidates(area: String, year: Int, month: Int? = nil, date: CivilDate?, male: Bool, check: Character, sequenceTail: String? = nil)
        -> Int
    {
        let weights = ResidentIDNumber.weights
        let areaSum = area.enumerated().reduce(0) { $0 + Int(String($1.element))! * weights[$1.offset] }
        var days: [CivilDate] = []
        if let date {
            days = [date]
        } else {
            var day = try! CivilDate(year: year, month: 1, day: 1)
            while day.year == year {
                if month == nil || day.month == month { days.append(day) }
                day = try! day.adding(days: 1)
            }
        }
        let sequences: [Int] = sequenceTail.map { [Int($0)!] } ?? (0..<1000).filter { ($0 % 2 == 1) == male }
        var count = 0
        for day in days {
            let digits = String(format: "%04d%02d%02d", day.year, day.month, day.day)
            let dateSum = digits.enumerated().reduce(0) { $0 + Int(String($1.element))! * weights[6 + $1.offset] }
            for sequence in sequences {
                let s = String(format: "%03d", sequence)
                let sum = areaSum + dateSum + s.enumerated().reduce(0) { $0 + Int(String($1.element))! * weights[14 + $1.offset] }
                if Self.checkTable[sum % 11] == check { count += 1 }
            }
        }
        return count
    }

    @Test("the counter itself: the old 6 + 4 mask with the birth date shown left one number; the new mask and the year leave thousands")
    func counter() throws {
        let number = "11010519491231002X"
        let old = Self.candidates(
            area: "110105", year: 1949, date: try CivilDate(parsing: "1949-12-31"), male: false, check: "X", sequenceTail: "002")
        #expect(old == 1)
        #expect(Self.candidates(area: "110105", year: 1949, date: nil, male: false, check: "X") >= 1000)
        #expect(number.count == 18)
    }

    @Test("a grid worker: JSON, pages, lists and CSV leave at least 1,000 numbers for every person in scope")
    func gridWorker() async throws {
        try await withApp(demo: true, demoPeople: 0.05) { app in
            let api = TestClient(app)
            try await api.signInAPI("gridworker")
            let web = TestClient(app)
            _ = try await web.signInWeb("gridworker")
            // Everyone in scope, through the selection the role may run.
            var people: [RegistryQueries.PersonRow] = []
            var offset = 0
            while true {
                let page = try await api.jsonObject(
                    .POST, "/api/v1/registry/smart-groups/preview?limit=500&offset=\(offset)", ["criteria": [String: Any]()]
                )
                .decode(SmartGroupQueries.Page.self)
                people += page.items
                offset += page.items.count
                if page.items.isEmpty || offset >= page.total { break }
            }
            #expect(people.count >= 20, "the demo puts people in the grid worker's micro-grid")
            var bodies: [String] = []
            let csv = try await api.get("/api/v1/registry/export/persons")
            #expect(csv.status == .ok)
            bodies.append(csv.body.string)
            var households = Set<UUID>()
            for person in people {
                let detail = try await api.get("/api/v1/registry/persons/\(person.id)")
                bodies.append(detail.body.string)
                bodies.append(try await web.get("/registry/persons/\(person.id)").body.string)
                households.insert(person.household_id.rawValue)
            }
            for household in households {
                bodies.append(try await api.get("/api/v1/registry/households/\(household)").body.string)
                bodies.append(try await web.get("/registry/households/\(household)").body.string)
            }
            // The truth, from the database and the vault.
            struct Truth: Decodable { var id: UUID; var id_cipher: String; var birth_date: String; var sex: String }
            let truths = try await app.db.sql.raw(
                """
                SELECT id, id_cipher, birth_date, sex FROM persons WHERE id IN (\(binds: people.map(\.id)))
                """
            ).all(decoding: Truth.self)
            #expect(truths.count == people.count)
            let shown = Dictionary(uniqueKeysWithValues: people.map { ($0.id, $0) })
            let everything = bodies.joined(separator: "\n")
            var smallest = Int.max
            for truth in truths {
                let number = try app.services.vault.open(truth.id_cipher, kind: .idNumber)
                let row = try #require(shown[PersonID(truth.id)])
                // What the role is shown: the mask (first and last character), the year, the sex.
                #expect(row.birth_date == nil)
                #expect(row.birth_year == Int(truth.birth_date.prefix(4)))
                #expect(row.id_masked == String(number.prefix(1)) + String(repeating: "*", count: 16) + String(number.suffix(1)))
                // Nothing anywhere shows more: not the number, its date digits, the date, or the old mask.
                let birthDigits = String(number.dropFirst(6).prefix(8))
                #expect(!everything.contains(number))
                // (As a run of digits of its own: a UUID's hex may hold the same eight digits.)
                let digitRun = everything.ranges(of: birthDigits).contains { range in
                    let before = range.lowerBound > everything.startIndex ? everything[everything.index(before: range.lowerBound)] : " "
                    let after = range.upperBound < everything.endIndex ? everything[range.upperBound] : " "
                    return !before.isHexDigit && !after.isHexDigit && before != "-" && after != "-"
                }
                #expect(!digitRun, "the birth date digits of \(row.name) appear")
                #expect(!everything.contains(truth.birth_date), "the birth date of \(row.name) appears")
                #expect(!everything.contains(String(number.prefix(6)) + "********"))
                // Register dates are shown to the month (a move-in or a tag may start at birth):
                // count as if the attacker knew the birth month too.
                let count = Self.candidates(
                    area: String(number.prefix(6)), year: row.birth_year, month: Int(truth.birth_date.dropFirst(5).prefix(2)),
                    date: nil, male: truth.sex == "male", check: number.last!)
                smallest = min(smallest, count)
                #expect(count >= 1000, "\(row.name): only \(count) numbers fit what a grid worker is shown")
            }
            #expect(smallest >= 1000)
        }
    }
}
