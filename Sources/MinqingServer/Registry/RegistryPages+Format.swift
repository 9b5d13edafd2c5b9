import Foundation
import MinqingDomain
import Plot

/// How the register pages write stored values: vocabulary labels in the reader's language,
/// money in yuan from fen, service time from minutes, counts with thousands separators.
enum RegisterFormat {
    static func sex(_ sex: Sex, _ lang: Lang) -> String { sex.name(lang) }

    /// A sex as typed into a form (a smart group's criteria): its label, else the text itself.
    static func sex(_ raw: String, _ lang: Lang) -> String {
        Sex(rawValue: raw).map { sex($0, lang) } ?? raw
    }

    static func relation(_ relation: HouseholdRelation, _ lang: Lang) -> String { relation.name(lang) }

    static func residence(_ residence: ResidenceStatus, _ lang: Lang) -> String { residence.name(lang) }

    static func kind(_ kind: TagKind, _ lang: Lang) -> String { kind.name(lang) }

    static func level(_ level: GridLevel, _ lang: Lang) -> String { level.name(lang) }

    /// An aid programme: its English name on English pages, the Chinese one only when it has none.
    static func programme(_ row: AidProgrammes.Row, _ lang: Lang) -> String {
        DataNames.programme(row.name, english: row.name_en, lang)
    }

    /// Where a tag assignment came from.
    static func source(_ raw: String, _ lang: Lang) -> String {
        switch raw {
        case "manual": T("手工登记", "Entered by hand")(lang)
        case "import": T("批量导入", "Imported")(lang)
        case "demo": T("演示数据", "Demo data")(lang)
        case "visit": T("走访", "Visit")(lang)
        default: raw
        }
    }

    /// The plain-number field names the reveal form offers.
    static func numberField(_ raw: String, _ lang: Lang) -> String {
        switch raw {
        case "id_number": T("身份证号码", "ID number")(lang)
        case "phone": T("手机号码", "Mobile number")(lang)
        default: raw
        }
    }

    /// Completed years on `today` from the whole birth date; from the birth year alone (for roles
    /// that see only the year) the age this year reaches, marked as approximate.
    static func age(_ person: RegistryQueries.PersonRow, today: CivilDate, lang: Lang) -> String {
        if let birth = person.birth_date {
            guard let date = try? CivilDate(parsing: birth) else { return "—" }
            return T("\(date.age(on: today)) 岁", "\(date.age(on: today))")(lang)
        }
        let years = today.year - person.birth_year
        return T("约 \(years) 岁", "about \(years)")(lang)
    }

    /// The birth date, or for roles that see only the year, the year.
    static func born(_ person: RegistryQueries.PersonRow, lang: Lang) -> String {
        person.birth_date ?? T("\(person.birth_year) 年", "\(person.birth_year)")(lang)
    }

    /// 30612 → "30,612".
    static func count<N: BinaryInteger>(_ n: N) -> String {
        let digits = String(describing: n.magnitude)
        var out = ""
        for (index, ch) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// 123450 fen → "¥1,234.50".
    static func yuan(fen: Int64) -> String {
        let magnitude = fen.magnitude
        let cents = magnitude % 100
        return (fen < 0 ? "-" : "") + "¥" + count(magnitude / 100) + "." + (cents < 10 ? "0" : "") + "\(cents)"
    }

    /// 150 minutes → "2 小时 30 分钟" / "2 h 30 min".
    static func duration(minutes: Int64, _ lang: Lang) -> String {
        let hours = minutes / 60, rest = minutes % 60
        switch (hours, rest) {
        case (0, _): return T("\(rest) 分钟", "\(rest) min")(lang)
        case (_, 0): return T("\(count(hours)) 小时", "\(count(hours)) h")(lang)
        default: return T("\(count(hours)) 小时 \(rest) 分钟", "\(count(hours)) h \(rest) min")(lang)
        }
    }

    /// In-kind totals by unit: "3 份、2 袋" / "3 portions, 2 bags" (a unit without an English name
    /// as recorded).
    static func inKind(_ totals: [String: Int64], _ lang: Lang) -> String {
        guard !totals.isEmpty else { return "—" }
        return totals.sorted { $0.key < $1.key }
            .map { "\(count($0.value)) \(DataNames.aidUnit($0.key, count: $0.value, lang))" }
            .joined(separator: lang == .zh ? "、" : ", ")
    }

    /// See `SiteURL.query`.
    static func query(_ items: [(String, String)]) -> String { SiteURL.query(items) }

    /// `path?query`, or `path` when there is nothing to add.
    static func link(_ path: String, _ items: [(String, String)]) -> String {
        let query = query(items)
        return query.isEmpty ? path : path + "?" + query
    }
}
