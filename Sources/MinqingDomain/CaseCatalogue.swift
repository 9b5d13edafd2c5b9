/// The default catalogue of handling departments and case categories a new deployment starts
/// with, in GB/T 30428 style: 部件 (components, codes `C…`) and 事件 (events, codes `E…`), a
/// 大类 of three characters (`E01`) and its 小类 of five (`E0101`). Everything here is data the
/// administrators change afterwards; the server copies it into its tables once.
public enum CaseCatalogue {
    public struct Department: Sendable, Hashable {
        public var code: String
        public var nameZH: String
        public var nameEN: String
    }

    public struct Category: Sendable, Hashable {
        public var code: String
        public var parentCode: String?
        public var kind: CaseCategoryKind
        public var nameZH: String
        public var nameEN: String
        /// The default handling department's code (小类 only).
        public var departmentCode: String?
        /// 立案, 派遣, 响应 (签收), 处置, 核查 time limits.
        public var file: CaseTimeLimit
        public var dispatch: CaseTimeLimit
        public var response: CaseTimeLimit
        public var handle: CaseTimeLimit
        public var verify: CaseTimeLimit
    }

    public static let departments: [Department] = [
        Department(code: "chengguan", nameZH: "城管执法中队", nameEN: "City management enforcement"),
        Department(code: "lvrong", nameZH: "绿化市容所", nameEN: "Greening and city appearance"),
        Department(code: "fangguan", nameZH: "房管办", nameEN: "Housing management office"),
        Department(code: "shichang", nameZH: "市场监管所", nameEN: "Market regulation"),
        Department(code: "paichusuo", nameZH: "公安派出所", nameEN: "Police station"),
        Department(code: "shiwu", nameZH: "水务所", nameEN: "Water affairs"),
        Department(code: "shequban", nameZH: "街道社区办", nameEN: "Subdistrict community office"),
        Department(code: "guanliban", nameZH: "街道管理办", nameEN: "Subdistrict management office")
    ]

    private static func limit(_ text: String) -> CaseTimeLimit {
        (try? CaseTimeLimit(parsing: text)) ?? CaseTimeLimit.fallback
    }

    private static func major(_ code: String, _ kind: CaseCategoryKind, _ zh: String, _ en: String) -> Category {
        Category(
            code: code, parentCode: nil, kind: kind, nameZH: zh, nameEN: en, departmentCode: nil,
            file: limit("2h"), dispatch: limit("2h"), response: limit("4h"), handle: limit("5d"), verify: limit("1d"))
    }

    private static func minor(
        _ code: String, _ zh: String, _ en: String, _ department: String, handle: String,
        response: String = "4h"
    ) -> Category {
        let parent = String(code.prefix(3))
        return Category(
            code: code, parentCode: parent, kind: code.hasPrefix("C") ? .component : .event, nameZH: zh, nameEN: en,
            departmentCode: department, file: limit("2h"), dispatch: limit("2h"), response: limit(response),
            handle: limit(handle), verify: limit("1d"))
    }

    public static let categories: [Category] = [
        major("C01", .component, "公用设施", "Public utilities"),
        minor("C0101", "井盖破损或缺失", "Manhole cover broken or missing", "shiwu", handle: "8h", response: "1h"),
        minor("C0102", "路灯不亮", "Street light out", "lvrong", handle: "3d"),
        minor("C0103", "消防栓损坏", "Fire hydrant damaged", "shiwu", handle: "3d"),
        major("C02", .component, "道路交通", "Roads and traffic"),
        minor("C0201", "道路破损", "Damaged road surface", "guanliban", handle: "5d"),
        minor("C0202", "交通标志损坏", "Damaged traffic sign", "guanliban", handle: "5d"),
        major("C03", .component, "市容环境设施", "City appearance facilities"),
        minor("C0301", "垃圾箱破损", "Litter bin damaged", "lvrong", handle: "3d"),
        minor("C0302", "公厕设施损坏", "Public toilet damaged", "lvrong", handle: "2d"),
        major("C04", .component, "园林绿化", "Parks and greenery"),
        minor("C0401", "树木倒伏或枯死", "Fallen or dead tree", "lvrong", handle: "2d", response: "2h"),
        minor("C0402", "绿地破坏", "Damaged green space", "lvrong", handle: "5d"),
        major("E01", .event, "市容环境", "City appearance"),
        minor("E0101", "暴露垃圾", "Exposed rubbish", "lvrong", handle: "8h"),
        minor("E0102", "乱堆物堆料", "Goods piled in public space", "chengguan", handle: "2d"),
        minor("E0103", "违规张贴小广告", "Illegal flyposting", "chengguan", handle: "2d"),
        major("E02", .event, "街面秩序", "Street order"),
        minor("E0201", "占道经营", "Street vending on the road", "chengguan", handle: "1d"),
        minor("E0202", "非机动车乱停放", "Bicycles parked in the way", "guanliban", handle: "1d"),
        minor("E0203", "噪声扰民", "Noise nuisance", "paichusuo", handle: "1d", response: "1h"),
        major("E03", .event, "施工管理", "Construction"),
        minor("E0301", "违法搭建", "Illegal construction", "chengguan", handle: "10d"),
        minor("E0302", "施工扰民", "Construction nuisance", "chengguan", handle: "2d"),
        major("E04", .event, "住宅小区", "Residential compounds"),
        minor("E0401", "物业服务问题", "Property management service", "fangguan", handle: "5d"),
        minor("E0402", "房屋漏水", "Leaking building", "fangguan", handle: "5d"),
        minor("E0403", "加装电梯协调", "Lift installation dispute", "fangguan", handle: "10d"),
        minor("E0404", "楼道堆物", "Stairwell obstruction", "fangguan", handle: "2d"),
        major("E05", .event, "市场监管", "Market regulation"),
        minor("E0501", "食品安全", "Food safety", "shichang", handle: "3d", response: "2h"),
        minor("E0502", "无证经营", "Unlicensed business", "shichang", handle: "5d"),
        major("E06", .event, "社区服务", "Community services"),
        minor("E0601", "困难求助", "Request for help in hardship", "shequban", handle: "3d"),
        minor("E0602", "邻里纠纷", "Neighbour dispute", "shequban", handle: "5d"),
        minor("E0603", "为老服务", "Services for older people", "shequban", handle: "3d"),
        major("E07", .event, "突发事件", "Emergencies"),
        minor("E0701", "积水内涝", "Flooding", "shiwu", handle: "4h", response: "1h"),
        minor("E0702", "安全隐患", "Safety hazard", "guanliban", handle: "1d", response: "1h")
    ]
}

extension CaseTimeLimit {
    /// One working day: only for a literal in the catalogue that failed to parse (tests keep the catalogue clean).
    public static let fallback = CaseTimeLimit(unchecked: 1, unit: .workingDays)

    init(unchecked amount: Int, unit: Unit) {
        self.amount = amount
        self.unit = unit
    }
}
