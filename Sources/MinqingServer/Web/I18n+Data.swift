import MinqingDomain
import Vapor

// The vocabulary that is data, in the reader's language: the names an English page shows for
// values stored in Chinese (aid programmes, in-kind units, the places of visit slots), and the
// language of the files a request downloads. Names of places in the grid (临汾路街道, 第一居民区),
// of people and of compounds are proper nouns and are shown as written (docs/architecture.md,
// "Language").

extension Request {
    /// The language of a file this request downloads (CSV): `lang=zh|en` in the query when given,
    /// else the caller's language (`lang`: the `minqing_lang` cookie, Chinese without it). As on
    /// the pages, `Accept-Language` is not followed, so an API client that sends no cookie gets
    /// Chinese unless it asks for `?lang=en`.
    var fileLang: Lang {
        if let raw = query[String.self, at: "lang"], let chosen = Lang(rawValue: raw) { return chosen }
        return lang
    }
}

extension Lang {
    /// `lang` from a request body or a command's option (`zh`, `en`); nil for anything else.
    init?(option raw: String?) {
        guard let raw, let value = Lang(rawValue: raw.lowercased()) else { return nil }
        self = value
    }
}

extension Sex: Bilingual {
    /// 男 / 女
    var nameZH: String { labelZH }
    /// Male / Female
    var nameEN: String { labelEN }
}

extension CompoundType {
    /// The governance goal (治理目标) in `lang`: 改造提质 / "Renovate and raise quality".
    func goal(_ lang: Lang) -> String { lang == .zh ? goalZH : goalEN }
    /// The main line (主线) of the type's governance in `lang`.
    func mainLine(_ lang: Lang) -> String { lang == .zh ? mainLineZH : mainLineEN }

    /// The goal of the type stored as `raw`, in `lang`; `fallback` for a type the register does not know.
    static func goal(of raw: String, fallback: String, _ lang: Lang) -> String {
        CompoundType(rawValue: raw)?.goal(lang) ?? fallback
    }

    /// The main line of the type stored as `raw`, in `lang`; `fallback` for an unknown type.
    static func mainLine(of raw: String, fallback: String, _ lang: Lang) -> String {
        CompoundType(rawValue: raw)?.mainLine(lang) ?? fallback
    }
}

/// Names of stored Chinese values in the reader's language.
enum DataNames {
    /// An aid programme in `lang`: on English pages its English name (the catalogue's, else the
    /// shipped list's), the Chinese name only when it has none.
    static func programme(_ name: String, english: String? = nil, _ lang: Lang) -> String {
        guard lang == .en else { return name }
        if let english, !english.isEmpty { return english }
        return AidProgrammeDefaults.englishName(of: name) ?? name
    }

    /// A help request's category (生活困难, 就医求助…): its English name on English pages when it has
    /// one (the same list as the programmes aid is recorded under), else as recorded.
    static func helpCategory(_ category: String, _ lang: Lang) -> String {
        lang == .en ? AidProgrammeDefaults.englishName(of: category) ?? category : category
    }

    /// An in-kind unit for `count` of it (份 → portions), as recorded when it has no English name.
    static func aidUnit(_ unit: String, count: Int64 = 2, _ lang: Lang) -> String {
        lang == .en ? AidUnitNames.englishName(of: unit, count: count) ?? unit : unit
    }

    /// A service unit's kind (学校, 医院…): the usual kinds by their English names on English pages.
    static func unitKind(_ kind: String, _ lang: Lang) -> String {
        ServiceUnitKinds.name(kind, english: lang == .en)
    }

    /// A visit slot's place: 上门 and the usual rooms by their English names on English pages.
    static func visitPlace(_ place: String, _ lang: Lang) -> String {
        VisitPlace.name(place, english: lang == .en)
    }

    /// A register detail a visit changed, from the stored field and value: "居住状态改为流动" /
    /// "residence status changed to Floating" (never the stored field name on a page).
    static func detailChange(field: String?, value: String?, _ lang: Lang) -> String {
        let value = value ?? ""
        switch field {
        case "residence_status":
            return T("居住状态改为", "residence status changed to ")(lang) + (ResidenceStatus(rawValue: value)?.name(lang) ?? value)
        case "phone":
            return T("手机号码改为", "mobile number changed to ")(lang) + value
        default:
            return T("更新：\(value)", "updated: \(value)")(lang)
        }
    }

    /// 是 / 否, yes / no.
    static func yesNo(_ value: Bool, _ lang: Lang) -> String {
        value ? T("是", "yes")(lang) : T("否", "no")(lang)
    }
}

extension OpenAPIDocument {
    /// The `lang` query of a CSV download (`Request.fileLang`).
    static var fileLangQuery: (name: String, schema: [String: Any], description: String) {
        (
            "lang", ["type": "string", "enum": ["zh", "en"]],
            "the file's headers and labels: zh or en (default: the caller's language, Chinese without the minqing_lang cookie)"
        )
    }
}
