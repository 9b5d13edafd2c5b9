import Foundation

/// One tag of a catalogue (标签目录), before it is stored.
///
/// Codes are ASCII, lower-case, dot-separated: the kind's prefix (`id`, `svc`, `mgmt`), then the
/// path. A child's code always begins with its parent's code and a dot, so "this tag and
/// everything under it" is also a prefix match on codes.
public struct CatalogueTag: Sendable, Hashable, Codable {

    /// The JSON keys: snake_case like the rest of the API (docs/api-conventions.md).
    public enum CodingKeys: String, CodingKey {
        case code
        case nameZH = "name_zh"
        case nameEN = "name_en"
        case kind
        case parentCode = "parent_code"
        case sensitive
    }
    /// Stable code, e.g. `id.elderly.alone`; what tag expressions and imports name.
    public var code: String
    /// 简体中文 name, e.g. 独居老人.
    public var nameZH: String
    /// English name, e.g. "Older person living alone".
    public var nameEN: String
    /// Identity, service or management.
    public var kind: TagKind
    /// The parent tag's code; nil for a top-level tag. A parent has the same kind as its children.
    public var parentCode: String?
    /// Sensitive personal information (敏感个人信息, PIPL art. 28): only roles cleared for it see
    /// the tag or the persons who carry it.
    public var sensitive: Bool

    public init(code: String, nameZH: String, nameEN: String, kind: TagKind, parentCode: String?, sensitive: Bool) {
        self.code = code
        self.nameZH = nameZH
        self.nameEN = nameEN
        self.kind = kind
        self.parentCode = parentCode
        self.sensitive = sensitive
    }
}

/// One of the ten kinds of household a cadre must visit (十必访, BRIEF V2), as the tags that mark it.
public struct MustVisitGroup: Sendable, Hashable {
    /// Short stable key, e.g. `elderly_alone`.
    public var key: String
    /// 简体中文 name, e.g. 独居老人.
    public var nameZH: String
    /// English name.
    public var nameEN: String
    /// The catalogue codes that put a person in the group; each stands for itself and all its
    /// descendants (`id.disabled` covers every disability type and grade).
    public var tagCodes: [String]
}

/// The demo's tag catalogue: Linfen Road's 240 tags, 125 identity (身份), 101 service (服务) and
/// 14 management (管理) (BRIEF R2), with realistic names in Chinese and English.
///
/// Sensitive marks follow PIPL art. 28 (health, religious belief, specific identities, financial
/// position, minors under 14) and the practice of local civil-affairs offices:
/// - health conditions and disability, every grade;
/// - religious belief; CPC membership (a political identity);
/// - ethnic origin: the law does not name it, but registers treat nationality as a specific
///   identity (it can reveal religion and origin), so every minority tag is sensitive too;
/// - community correction, released prisoners, drug rehabilitation, petitioners, at-risk youth;
/// - social assistance (低保、特困、低收入): it discloses a household's finances;
/// - minors under 14, children in difficulty, families who lost their only child.
/// Services and management tags are sensitive where they disclose one of the above.
public enum TagCatalogue {
    /// All 240 tags, parents before their children.
    public static let tags: [CatalogueTag] = identityTags + serviceTags + managementTags

    /// The tag with `code`, if the catalogue has it.
    public static func tag(code: String) -> CatalogueTag? {
        index[code].map { tags[$0] }
    }

    /// `code` and the codes of all its descendants, in catalogue order; empty if `code` is unknown.
    public static func codes(under code: String) -> [String] {
        guard index[code] != nil else { return [] }
        let prefix = code + "."
        return tags.lazy.map(\.code).filter { $0 == code || $0.hasPrefix(prefix) }
    }

    /// The position of `code` in `tags`, for sorting a person's tags in catalogue order.
    public static func position(of code: String) -> Int? { index[code] }

    /// 十必访: the ten kinds of household that must be visited, in the order Linfen lists them.
    public static let mustVisitGroups: [MustVisitGroup] = [
        MustVisitGroup(
            key: "elderly_alone", nameZH: "独居老人", nameEN: "Older people living alone",
            tagCodes: ["id.elderly.alone"]),
        MustVisitGroup(
            key: "very_old", nameZH: "高龄老人", nameEN: "Very old people (80+)",
            tagCodes: ["id.elderly.very_old"]),
        MustVisitGroup(
            key: "disabled", nameZH: "残疾人", nameEN: "Disabled people",
            tagCodes: ["id.disabled"]),
        MustVisitGroup(
            key: "hardship", nameZH: "低保、低收入、特困家庭", nameEN: "Low-income and assisted households",
            tagCodes: ["id.assistance"]),
        MustVisitGroup(
            key: "serious_illness", nameZH: "大病重病患者", nameEN: "Seriously ill people",
            tagCodes: ["id.health.serious_illness"]),
        MustVisitGroup(
            key: "lost_only_child", nameZH: "失独家庭", nameEN: "Families who lost their only child",
            tagCodes: ["id.family_lost_only_child"]),
        MustVisitGroup(
            key: "entitled", nameZH: "优抚对象", nameEN: "Entitled groups (veterans' and martyrs' families)",
            tagCodes: ["id.entitled"]),
        MustVisitGroup(
            key: "correction_released", nameZH: "社区矫正和刑满释放人员",
            nameEN: "People under community correction and released prisoners",
            tagCodes: ["id.community_correction", "id.released_prisoner"]),
        MustVisitGroup(
            key: "newcomer", nameZH: "新迁入居民", nameEN: "Newly arrived residents",
            tagCodes: ["id.newcomer"]),
        MustVisitGroup(
            key: "children_in_difficulty", nameZH: "困境儿童", nameEN: "Children in difficulty",
            tagCodes: ["id.child_difficulty"])
    ]

    private static let index: [String: Int] = {
        var map: [String: Int] = [:]
        for (offset, tag) in tags.enumerated() where map[tag.code] == nil { map[tag.code] = offset }
        return map
    }()

    // MARK: Identity (身份), 125

    /// The 55 minority nationalities (少数民族) in the official order, as (code, 中文, English).
    package static let ethnicGroups: [(String, String, String)] = [
        ("mongol", "蒙古族", "Mongol"), ("hui", "回族", "Hui"), ("tibetan", "藏族", "Tibetan"),
        ("uyghur", "维吾尔族", "Uyghur"), ("miao", "苗族", "Miao"), ("yi", "彝族", "Yi"),
        ("zhuang", "壮族", "Zhuang"), ("bouyei", "布依族", "Bouyei"), ("korean", "朝鲜族", "Korean"),
        ("manchu", "满族", "Manchu"), ("dong", "侗族", "Dong"), ("yao", "瑶族", "Yao"),
        ("bai", "白族", "Bai"), ("tujia", "土家族", "Tujia"), ("hani", "哈尼族", "Hani"),
        ("kazakh", "哈萨克族", "Kazakh"), ("dai", "傣族", "Dai"), ("li", "黎族", "Li"),
        ("lisu", "傈僳族", "Lisu"), ("va", "佤族", "Va"), ("she", "畲族", "She"),
        ("gaoshan", "高山族", "Gaoshan"), ("lahu", "拉祜族", "Lahu"), ("sui", "水族", "Sui"),
        ("dongxiang", "东乡族", "Dongxiang"), ("naxi", "纳西族", "Naxi"), ("jingpo", "景颇族", "Jingpo"),
        ("kyrgyz", "柯尔克孜族", "Kyrgyz"), ("tu", "土族", "Tu"), ("daur", "达斡尔族", "Daur"),
        ("mulao", "仫佬族", "Mulao"), ("qiang", "羌族", "Qiang"), ("blang", "布朗族", "Blang"),
        ("salar", "撒拉族", "Salar"), ("maonan", "毛南族", "Maonan"), ("gelao", "仡佬族", "Gelao"),
        ("xibe", "锡伯族", "Xibe"), ("achang", "阿昌族", "Achang"), ("pumi", "普米族", "Pumi"),
        ("tajik", "塔吉克族", "Tajik"), ("nu", "怒族", "Nu"), ("uzbek", "乌孜别克族", "Uzbek"),
        ("russian", "俄罗斯族", "Russian"), ("evenki", "鄂温克族", "Evenki"), ("deang", "德昂族", "De'ang"),
        ("bonan", "保安族", "Bonan"), ("yugur", "裕固族", "Yugur"), ("gin", "京族", "Gin"),
        ("tatar", "塔塔尔族", "Tatar"), ("derung", "独龙族", "Derung"), ("oroqen", "鄂伦春族", "Oroqen"),
        ("hezhen", "赫哲族", "Hezhen"), ("monba", "门巴族", "Monba"), ("lhoba", "珞巴族", "Lhoba"),
        ("jino", "基诺族", "Jino")
    ]

    /// The seven disability types of GB/T 26341 (残疾人残疾分类和分级), as (code, 中文, English).
    static let disabilityTypes: [(String, String, String)] = [
        ("visual", "视力残疾", "Visual disability"), ("hearing", "听力残疾", "Hearing disability"),
        ("speech", "言语残疾", "Speech disability"), ("limb", "肢体残疾", "Physical disability"),
        ("intellectual", "智力残疾", "Intellectual disability"), ("mental", "精神残疾", "Psychosocial disability"),
        ("multiple", "多重残疾", "Multiple disabilities")
    ]

    static let gradeNamesZH = ["一级", "二级", "三级", "四级"]

    private static let identityTags: [CatalogueTag] = {
        var list: [CatalogueTag] = []
        func add(_ code: String, _ zh: String, _ en: String, parent: String? = nil, sensitive: Bool = false) {
            list.append(
                CatalogueTag(
                    code: code, nameZH: zh, nameEN: en, kind: .identity,
                    parentCode: parent, sensitive: sensitive))
        }
        // Age and living arrangements; the first four are set by rules from the birth date and
        // the household, never typed in.
        add("id.elderly", "老年人（60周岁以上）", "Older person (60 and over)")
        add("id.elderly.very_old", "高龄老人（80周岁以上）", "Very old person (80 and over)", parent: "id.elderly")
        add("id.elderly.centenarian", "百岁老人", "Centenarian", parent: "id.elderly")
        add("id.elderly.alone", "独居老人", "Older person living alone", parent: "id.elderly")
        add("id.elderly.empty_nest", "纯老家庭", "Member of an older-only household", parent: "id.elderly")
        // Children: anyone under 14 is sensitive information in itself (PIPL art. 28).
        add("id.minor", "未成年人（未满14周岁）", "Minor under 14", sensitive: true)
        add("id.child_difficulty", "困境儿童", "Child in difficulty", sensitive: true)
        add("id.child_difficulty.orphan", "孤儿", "Orphan", parent: "id.child_difficulty", sensitive: true)
        add(
            "id.child_difficulty.unattended", "事实无人抚养儿童", "De facto unattended child",
            parent: "id.child_difficulty", sensitive: true)
        // Families.
        add("id.family_lost_only_child", "失独家庭", "Family who lost their only child", sensitive: true)
        add("id.family_single_parent", "单亲家庭", "Single-parent family")
        add("id.family_zero_employment", "零就业家庭", "Zero-employment family", sensitive: true)
        // Social assistance discloses a household's finances.
        add("id.assistance", "社会救助对象", "Social-assistance recipient", sensitive: true)
        add(
            "id.assistance.dibao", "低保对象", "Minimum living allowance recipient (dibao)",
            parent: "id.assistance", sensitive: true)
        add("id.assistance.tekun", "特困人员", "Person in extreme poverty (tekun)", parent: "id.assistance", sensitive: true)
        add("id.assistance.low_income", "低收入困难家庭", "Low-income household", parent: "id.assistance", sensitive: true)
        // Health.
        add("id.health", "健康状况", "Health condition", sensitive: true)
        add("id.health.serious_illness", "大病重病", "Serious illness", parent: "id.health", sensitive: true)
        add("id.health.hypertension", "高血压", "Hypertension", parent: "id.health", sensitive: true)
        add("id.health.diabetes", "糖尿病", "Diabetes", parent: "id.health", sensitive: true)
        add("id.health.dementia", "认知障碍", "Cognitive impairment", parent: "id.health", sensitive: true)
        add("id.health.dependent", "失能半失能", "Loss of self-care ability", parent: "id.health", sensitive: true)
        add("id.health.severe_mental", "严重精神障碍", "Severe mental disorder", parent: "id.health", sensitive: true)
        // Disability: type and grade (GB/T 26341), grade 1 the most severe.
        add("id.disabled", "残疾人", "Disabled person", sensitive: true)
        for (code, zh, en) in disabilityTypes {
            for grade in 1...4 {
                add(
                    "id.disabled.\(code).grade\(grade)", zh + gradeNamesZH[grade - 1], "\(en), grade \(grade)",
                    parent: "id.disabled", sensitive: true)
            }
        }
        // Entitled groups (优抚对象) and veterans.
        add("id.entitled", "优抚对象", "Entitled group member")
        add("id.entitled.disabled_serviceman", "伤残军人", "Disabled serviceman", parent: "id.entitled")
        add("id.entitled.martyr_family", "烈士遗属", "Martyr's family member", parent: "id.entitled")
        add("id.entitled.military_family", "现役军人家属", "Family of a serving soldier", parent: "id.entitled")
        add("id.veteran", "退役军人", "Veteran")
        // Specific identities (特定身份).
        add("id.community_correction", "社区矫正对象", "Person under community correction", sensitive: true)
        add("id.released_prisoner", "刑满释放人员", "Released prisoner", sensitive: true)
        add("id.drug_rehab", "社区戒毒康复人员", "Person in community drug rehabilitation", sensitive: true)
        // Political identity.
        add("id.party_member", "中共党员", "CPC member", sensitive: true)
        // Religious belief.
        add("id.religion", "宗教信仰", "Religious believer", sensitive: true)
        add("id.religion.buddhism", "佛教", "Buddhism", parent: "id.religion", sensitive: true)
        add("id.religion.taoism", "道教", "Taoism", parent: "id.religion", sensitive: true)
        add("id.religion.islam", "伊斯兰教", "Islam", parent: "id.religion", sensitive: true)
        add("id.religion.catholic", "天主教", "Catholicism", parent: "id.religion", sensitive: true)
        add("id.religion.protestant", "基督教", "Protestantism", parent: "id.religion", sensitive: true)
        // Arrival and origin.
        add("id.newcomer", "新迁入居民", "Newly arrived resident")
        add("id.overseas_chinese", "归侨侨眷", "Returned overseas Chinese or relative")
        // Ethnic origin: not named in PIPL art. 28, but treated as a specific identity (see above).
        add("id.ethnic", "少数民族", "Ethnic minority", sensitive: true)
        for (code, zh, en) in ethnicGroups {
            add("id.ethnic.\(code)", zh, en, parent: "id.ethnic", sensitive: true)
        }
        return list
    }()

    // MARK: Service (服务), 101

    private static let serviceTags: [CatalogueTag] = {
        var list: [CatalogueTag] = []
        var parent: String?
        var parentSensitive = false
        /// A top-level service group; its children follow until the next group.
        func group(_ code: String, _ zh: String, _ en: String, sensitive: Bool = false) {
            list.append(CatalogueTag(code: code, nameZH: zh, nameEN: en, kind: .service, parentCode: nil, sensitive: sensitive))
            parent = code
            parentSensitive = sensitive
        }
        func add(_ leaf: String, _ zh: String, _ en: String, sensitive: Bool? = nil) {
            guard let parent else { return }
            list.append(
                CatalogueTag(
                    code: parent + "." + leaf, nameZH: zh, nameEN: en, kind: .service,
                    parentCode: parent, sensitive: sensitive ?? parentSensitive))
        }
        group("svc.elderly", "为老服务", "Services for older people")
        add("meal_aid", "助餐服务", "Meal assistance")
        add("home_care", "居家照护", "Home care")
        add("long_term_care", "长期护理保险服务", "Long-term care insurance services", sensitive: true)
        add("day_care", "日间照料", "Day care")
        add("respite", "喘息服务", "Respite care")
        add("bathing", "助浴服务", "Bathing assistance")
        add("cleaning", "助洁服务", "Housekeeping help")
        add("medical_escort", "助医陪诊", "Escort to medical appointments")
        add("emergency_call", "紧急呼叫（一键通）", "Emergency call device")
        add("smart_monitor", "智能安防监测（水表、门磁）", "Smart safety monitoring (water meter, door sensor)")
        add("companion", "老伙伴计划", "Old Partners peer-visiting programme")
        add("phone_greeting", "电话问候", "Telephone check-ins")
        add("allowance", "老年综合津贴", "Comprehensive old-age allowance")
        add("home_adaptation", "适老化改造", "Age-friendly home adaptation")
        add("dementia_care", "认知症照护", "Dementia care", sensitive: true)
        add("haircut", "上门理发", "Haircut at home")
        add("university", "老年大学", "University for older people")
        add("digital", "智能技术运用帮扶", "Help with digital technology")

        group("svc.disabled", "助残服务", "Services for disabled people", sensitive: true)
        add("rehab", "康复训练", "Rehabilitation training")
        add("assistive_device", "辅助器具适配", "Assistive devices")
        add("sunshine_home", "阳光之家", "Sunshine Home day programme")
        add("sunshine_heart", "阳光心园", "Sunshine Heart Garden programme")
        add("sunshine_base", "阳光基地", "Sunshine Base sheltered workshop")
        add("care_subsidy", "重度残疾人护理补贴", "Care subsidy for severe disability")
        add("living_subsidy", "困难残疾人生活补贴", "Living subsidy for disabled people in hardship")
        add("barrier_free", "无障碍改造", "Accessibility adaptation")
        add("employment", "残疾人就业扶持", "Employment support for disabled people")
        add("home_support", "重残无业人员居家养护", "Home support for severely disabled people without work")

        group("svc.assistance", "社会救助", "Social assistance", sensitive: true)
        add("dibao_payment", "最低生活保障金", "Minimum living allowance payment")
        add("tekun_support", "特困人员供养", "Support for people in extreme poverty")
        add("temporary", "临时救助", "Temporary assistance")
        add("medical", "医疗救助", "Medical assistance")
        add("education", "教育救助", "Education assistance")
        add("housing", "住房救助", "Housing assistance")
        add("holiday_relief", "节日帮困送温暖", "Holiday hardship relief")
        add("charity_supermarket", "慈善超市", "Charity supermarket")
        add("food_bank", "食物银行", "Food bank")
        add("utility_relief", "水电燃气费帮困", "Utility bill relief")

        group("svc.health", "健康服务", "Health services")
        add("family_doctor", "家庭医生签约", "Family doctor contract")
        add("chronic_management", "慢性病管理", "Chronic disease management", sensitive: true)
        add("health_check", "老年人健康体检", "Health check for older people")
        add("home_bed", "家庭病床", "Home hospital bed", sensitive: true)
        add("medicine_delivery", "送药上门", "Medicine delivery")
        add("vaccination", "疫苗接种", "Vaccination")
        add("cancer_screening", "社区大肠癌筛查", "Colorectal cancer screening")
        add("mental_support", "心理疏导", "Psychological counselling", sensitive: true)
        add("rehab_nursing", "康复护理", "Rehabilitation nursing", sensitive: true)
        add("maternal_care", "孕产妇保健", "Maternal health care", sensitive: true)

        group("svc.child", "儿童服务", "Services for children")
        add("summer_care", "爱心暑托班", "Summer day-care")
        add("after_school", "课后看护", "After-school care")
        add("nursery", "社区托育", "Community nursery")
        add("tutoring", "学业辅导", "Homework tutoring")
        add("difficulty_support", "困境儿童帮扶", "Support for children in difficulty", sensitive: true)
        add("protection", "未成年人保护", "Child protection", sensitive: true)
        add("parenting", "家庭教育指导", "Parenting guidance")

        group("svc.family", "家庭关爱", "Family care")
        add("lost_only_child_care", "失独家庭关爱", "Care for families who lost their only child", sensitive: true)
        add("special_assistance", "计划生育特别扶助金", "Family-planning special assistance payment", sensitive: true)
        add("counselling", "婚姻家庭辅导", "Marriage and family counselling")

        group("svc.employment", "就业服务", "Employment services")
        add("job_matching", "岗位推荐", "Job matching")
        add("skills_training", "职业技能培训", "Vocational training")
        add("startup", "创业指导", "Start-up guidance")
        add("public_welfare_job", "公益性岗位安置", "Public-welfare job placement")
        add("unemployment_registration", "失业登记", "Unemployment registration")

        group("svc.veteran", "优抚服务", "Services for entitled groups")
        add("pension", "抚恤补助", "Pension and subsidies")
        add("holiday_visit", "节日走访慰问", "Holiday visit")
        add("honor_plaque", "光荣牌悬挂", "Honour plaque")

        group("svc.reintegration", "帮教服务", "Reintegration support", sensitive: true)
        add("resettlement_help", "安置帮教", "Resettlement and aftercare")
        add("correction_support", "社区矫正帮扶", "Support during community correction")
        add("drug_rehab_support", "戒毒康复帮扶", "Drug rehabilitation support")
        add("guardian_subsidy", "精神障碍患者监护人补贴", "Guardian subsidy for severe mental disorder")

        group("svc.housing", "居住服务", "Housing services")
        add("old_house_repair", "旧住房修缮", "Old housing repair")
        add("lift", "加装电梯", "Lift installation")
        add("smoke_alarm", "独立式烟感报警器", "Stand-alone smoke alarm")
        add("gas_safety", "燃气安全改造", "Gas safety upgrade")

        group("svc.community", "社区服务", "Community services")
        add("legal_aid", "法律援助", "Legal aid")
        add("mediation", "人民调解", "People's mediation")
        add("volunteer_pairing", "志愿者结对", "Volunteer pairing")
        add("time_bank", "时间银行", "Time bank")
        add("culture_sports", "文体活动", "Culture and sports activities")
        add("neighbour_help", "邻里互助", "Neighbourly mutual aid")
        add("errand", "代购代办", "Errands and shopping")
        add("green_account", "绿色账户", "Green account")

        group("svc.newcomer", "新市民服务", "Services for newcomers")
        add("residence_permit", "居住证办理", "Residence permit")
        add("school_enrolment", "随迁子女入学", "School enrolment for migrant children")
        add("integration", "社区融入", "Community integration")

        group("svc.epidemic", "防疫服务", "Epidemic services")
        add("health_checkin", "健康打卡", "Daily health check-in")
        add("mask_reservation", "口罩预约", "Mask reservation")
        add("quarantine_care", "隔离关怀", "Care during quarantine", sensitive: true)
        return list
    }()

    // MARK: Management (管理), 14

    private static let managementTags: [CatalogueTag] = {
        func tag(_ code: String, _ zh: String, _ en: String, parent: String? = nil, sensitive: Bool = false) -> CatalogueTag {
            CatalogueTag(code: code, nameZH: zh, nameEN: en, kind: .management, parentCode: parent, sensitive: sensitive)
        }
        return [
            tag("mgmt.key_attention", "重点关注对象", "Person of key attention", sensitive: true),
            tag("mgmt.key_attention.petition", "信访重点人员", "Frequent petitioner", parent: "mgmt.key_attention", sensitive: true),
            tag(
                "mgmt.key_attention.dispute", "矛盾纠纷当事人", "Party to an unresolved dispute",
                parent: "mgmt.key_attention", sensitive: true),
            tag(
                "mgmt.key_attention.mental_risk", "有肇事肇祸风险的精神障碍患者", "Mental disorder with risk of harm",
                parent: "mgmt.key_attention", sensitive: true),
            tag("mgmt.key_attention.youth", "重点青少年", "At-risk youth", parent: "mgmt.key_attention", sensitive: true),
            tag("mgmt.safety", "安全隐患", "Safety hazard"),
            tag("mgmt.safety.fire", "消防隐患", "Fire hazard", parent: "mgmt.safety"),
            tag("mgmt.safety.hoarding", "居室囤积堆物", "Hoarding", parent: "mgmt.safety"),
            tag("mgmt.safety.gas", "燃气隐患", "Gas hazard", parent: "mgmt.safety"),
            tag("mgmt.rental", "出租房屋", "Rented dwelling"),
            tag("mgmt.rental.group", "群租整治", "Illegal group rental under correction", parent: "mgmt.rental"),
            tag("mgmt.info_pending", "信息待核实", "Information to verify"),
            tag("mgmt.unreachable", "多次走访未遇", "Not found at home on repeated visits"),
            tag("mgmt.health_monitoring", "居家健康监测", "Home health monitoring", sensitive: true)
        ]
    }()
}
