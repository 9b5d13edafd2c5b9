import Foundation

/// The aid programmes a new deployment knows, and whether each is sensitive (PIPL art. 28): a
/// programme that tells of a person's means, health or disability is shown, like a sensitive
/// tag, only to roles that may see sensitive data; to the others it is not there at all. A
/// programme staff name that is not in the catalogue yet is sensitive until an administrator
/// says otherwise.
public enum AidProgrammeDefaults {
    public static let all: [(name: String, sensitive: Bool)] = [
        ("最低生活保障金", true), ("临时救助", true), ("特困人员供养", true), ("医疗救助", true),
        ("节日帮困送温暖", true), ("长护险服务", true), ("残疾人生活补贴", true), ("心理疏导", true),
        ("社区助餐", false), ("居家照护", false), ("高龄津贴", false), ("助浴服务", false)
    ]

    /// Whether a programme entered for the first time is sensitive: yes, until someone says not.
    public static let newProgrammeIsSensitive = true

    /// The English names of the programmes a deployment ships with and of the help categories
    /// aid is often recorded under (the visit log's needs, the demo's help requests), by their
    /// Chinese name. The catalogue stores an English name per programme (`aid_programmes.name_en`);
    /// this list fills it for these names and stands in wherever a row has none yet.
    public static let englishNames: [String: String] = [
        "最低生活保障金": "Minimum living allowance",
        "临时救助": "Temporary assistance",
        "特困人员供养": "Support for people in extreme poverty",
        "医疗救助": "Medical assistance",
        "节日帮困送温暖": "Holiday relief",
        "长护险服务": "Long-term care insurance services",
        "残疾人生活补贴": "Living allowance for disabled people",
        "心理疏导": "Counselling",
        "社区助餐": "Community meals",
        "居家照护": "Home care",
        "高龄津贴": "Allowance for the very old",
        "助浴服务": "Help with bathing",
        "生活困难": "Hardship relief",
        "就医求助": "Help with medical care",
        "就业求助": "Help finding work",
        "住房修缮": "Home repairs",
        "照护需求": "Care needs",
        "法律咨询": "Legal advice",
        "安全隐患": "Safety hazard",
        "其他": "Other"
    ]

    /// The English name of a programme known by `name`, else nil.
    public static func englishName(of name: String) -> String? {
        englishNames[name.trimmingCharacters(in: .whitespaces)]
    }
}

/// The units in-kind aid is commonly counted in (实物单位), with English names. A record names its
/// own unit as typed; a unit not listed here is shown as typed.
public enum AidUnitNames {
    /// Singular and plural English name by the Chinese unit.
    public static let english: [String: (one: String, many: String)] = [
        "份": ("portion", "portions"),
        "份慰问品": ("relief parcel", "relief parcels"),
        "袋": ("bag", "bags"),
        "包": ("pack", "packs"),
        "箱": ("box", "boxes"),
        "盒": ("box", "boxes"),
        "桶": ("canister", "canisters"),
        "瓶": ("bottle", "bottles"),
        "件": ("item", "items"),
        "个": ("piece", "pieces"),
        "套": ("set", "sets"),
        "双": ("pair", "pairs"),
        "张": ("voucher", "vouchers"),
        "次": ("time", "times"),
        "公斤": ("kg", "kg"),
        "千克": ("kg", "kg")
    ]

    /// The unit for `count` of it in English (`3 份` → `portions`); nil for a unit not listed.
    public static func englishName(of unit: String, count: Int64 = 2) -> String? {
        english[unit.trimmingCharacters(in: .whitespaces)].map { count == 1 ? $0.one : $0.many }
    }
}
