/// The demo's tag assignment: rules where the register derives a tag from facts, prevalences
import MinqingDomain
import MinqingServer

/// where a survey found it. The prevalences are rough figures for an old central-Shanghai
/// subdistrict, chosen so the demo's smart groups return believable counts:
///
/// - rules: 60+ → 老年人; 80+ → 高龄老人; 100+ → 百岁老人; 60+ and alone → 独居老人; every
///   member 60+ in a household of two or more → 纯老家庭; under 14 → 未成年人;
/// - CPC members about 8 % of adults (more among the old); disability about 3 % (rising with
///   age) with a type and a grade; 低保 about 1.5 % of households, 低收入 and 特困 rarer;
///   hypertension, diabetes, dementia and loss of self-care among the old; religious belief
///   about 2 % of adults; ethnic minorities about 1.5 % (more among migrants); veterans,
///   community correction, released prisoners at their low real rates;
/// - services mostly to the old, the disabled and households on assistance; management tags rare.
enum DemoTagging {
    static func assign(
        members: [MemberFacts], composition: Composition, residence: ResidenceStatus,
        _ rng: inout SeededGenerator
    ) -> [[String]] {
        var tags = Array(repeating: Set<String>(), count: members.count)
        func chance(_ p: Double) -> Bool { DemoRandom.chance(p, &rng) }
        let size = members.count
        let headIndex = members.firstIndex { $0.relation == .head } ?? 0
        let oldest = members.map(\.age).max() ?? 0
        let hasElder = oldest >= 60
        let migrant = residence == .resident || residence == .floating

        // MARK: Household facts
        var assistance: String?
        if size == 1, chance(0.012) {
            assistance = "tekun"
        } else if chance([.aloneElder, .aloneAdult, .singleParent].contains(composition) ? 0.028 : 0.013) {
            assistance = "dibao"
        } else if chance(0.012) {
            assistance = "low_income"
        }
        let newcomerShare: Double =
            switch residence {
            case .registered: 0.015
            case .separated: 0.03
            case .resident: 0.06
            case .floating: 0.10
            }
        let newcomer = chance(newcomerShare)
        let lostOnlyChild = [.aloneElder, .elderCouple].contains(composition) && (55...90).contains(oldest) && chance(0.03)
        let zeroEmployment =
            members.contains { (18...59).contains($0.age) } && !hasElder
            && chance(assistance == nil ? 0.002 : 0.2)
        let militaryFamily = chance(0.003)
        let martyrFamily = hasElder && chance(0.0006)
        let overseas = chance(0.004)
        let ethnicity: String? = chance(migrant ? 0.04 : 0.012) ? ethnicTable.draw(&rng) : nil

        for index in members.indices {
            let m = members[index]
            let age = m.age
            func add(_ code: String) { tags[index].insert(code) }
            let adult = age >= 18

            // MARK: Rules
            if age >= 60 { add("id.elderly") }
            if age >= 80 { add("id.elderly.very_old") }
            if age >= 100 { add("id.elderly.centenarian") }
            if age >= 60, size == 1 { add("id.elderly.alone") }
            if age >= 60, size >= 2, members.allSatisfy({ $0.age >= 60 }) { add("id.elderly.empty_nest") }
            if age < 14 { add("id.minor") }

            // MARK: Household tags on each member
            if let assistance { add("id.assistance." + assistance) }
            if newcomer { add("id.newcomer") }
            if lostOnlyChild { add("id.family_lost_only_child") }
            if composition == .singleParent { add("id.family_single_parent") }
            if zeroEmployment { add("id.family_zero_employment") }
            if overseas { add("id.overseas_chinese") }
            if let ethnicity {
                let marriedIn: Set<HouseholdRelation> = [.spouse, .daughterInLaw, .sonInLaw, .other]
                if !marriedIn.contains(m.relation) || chance(0.45) { add("id.ethnic." + ethnicity) }
            }
            if militaryFamily, m.relation == .head || m.relation == .spouse { add("id.entitled.military_family") }
            if martyrFamily, age == oldest { add("id.entitled.martyr_family") }

            // MARK: Prevalences
            if adult, chance(age < 30 ? 0.05 : age < 60 ? 0.07 : age < 80 ? 0.115 : 0.125) { add("id.party_member") }
            if chance(age < 18 ? 0.007 : age < 60 ? 0.018 : age < 80 ? 0.05 : 0.1) {
                let type = (age >= 60 ? elderDisabilityTable : youngDisabilityTable).draw(&rng)
                add("id.disabled.\(type).grade\(gradeTable.draw(&rng))")
            }
            if age >= 60 ? chance(0.28) : age >= 45 && chance(0.08) { add("id.health.hypertension") }
            if age >= 60 ? chance(0.11) : age >= 45 && chance(0.035) { add("id.health.diabetes") }
            if chance(age >= 60 ? 0.025 : age >= 18 ? 0.006 : 0.001) { add("id.health.serious_illness") }
            if age >= 65, chance(age >= 80 ? 0.08 : 0.015) { add("id.health.dementia") }
            if age >= 60, chance(age >= 80 ? 0.12 : 0.02) { add("id.health.dependent") }
            if adult, chance(0.004) { add("id.health.severe_mental") }
            if adult, chance(age >= 60 ? 0.035 : 0.012) {
                let muslim = ethnicity.map(muslimGroups.contains) ?? false
                add("id.religion." + (muslim && chance(0.6) ? "islam" : religionTable.draw(&rng)))
            }
            if age >= 30, chance(m.sex == .male ? 0.05 : 0.003) {
                add("id.veteran")
                if chance(0.03) { add("id.entitled.disabled_serviceman") }
            }
            if (20...60).contains(age), chance(0.0006) { add("id.community_correction") }
            if (25...70).contains(age), chance(m.sex == .male ? 0.004 : 0.0005) { add("id.released_prisoner") }
            if (20...55).contains(age), chance(0.0008) { add("id.drug_rehab") }
            if age < 18 {
                if composition == .skipGeneration, chance(0.08) {
                    add(chance(0.4) ? "id.child_difficulty.orphan" : "id.child_difficulty.unattended")
                } else if chance(assistance == nil ? 0.003 : 0.25) {
                    add("id.child_difficulty")
                }
            }

            services(
                for: m, tags: &tags[index], size: size, assistance: assistance,
                migrant: migrant, newcomer: newcomer, &rng)
        }

        // MARK: Household services and management, on the head
        func head(_ code: String) { tags[headIndex].insert(code) }
        if hasElder, chance(0.02) { head("svc.housing.lift") }
        if chance(0.01) { head("svc.housing.old_house_repair") }
        if chance(0.01) { head("svc.housing.gas_safety") }
        if chance(residence == .floating ? 0.25 : residence == .resident ? 0.1 : 0) { head("mgmt.rental") }
        if composition == .sharedRental, chance(0.12) { head("mgmt.rental.group") }
        if chance(residence == .separated ? 0.08 : residence == .floating ? 0.03 : 0.004) { head("mgmt.info_pending") }
        if chance(residence == .separated ? 0.15 : 0.005) { head("mgmt.unreachable") }
        if chance(0.003) { head("mgmt.safety.fire") }
        if chance(composition == .aloneElder ? 0.015 : 0.001) { head("mgmt.safety.hoarding") }
        if chance(0.003) { head("mgmt.safety.gas") }
        if chance(0.004) {
            head("mgmt.key_attention.dispute")
            if chance(0.8) { head("svc.community.mediation") }
        }
        return tags.map { set in
            set.sorted { (TagCatalogue.position(of: $0) ?? .max) < (TagCatalogue.position(of: $1) ?? .max) }
        }
    }

    /// Services and person-level management tags that follow from a person's identity tags.
    private static func services(
        for m: MemberFacts, tags: inout Set<String>, size: Int, assistance: String?,
        migrant: Bool, newcomer: Bool, _ rng: inout SeededGenerator
    ) {
        func chance(_ p: Double) -> Bool { DemoRandom.chance(p, &rng) }
        func has(_ code: String) -> Bool { tags.contains(code) }
        func hasPrefix(_ prefix: String) -> Bool { tags.contains { $0.hasPrefix(prefix) } }
        func maybe(_ p: Double, _ code: String) { if chance(p) { tags.insert(code) } }
        let age = m.age
        let adult = age >= 18

        // Older people.
        if age >= 60 {
            maybe(0.35, "svc.health.family_doctor")
            if age >= 65 { maybe(0.25, "svc.elderly.allowance"); maybe(0.18, "svc.health.health_check") }
            if age < 80 { maybe(0.05, "svc.community.culture_sports") }
            if age < 76 { maybe(0.025, "svc.elderly.university") }
            if age >= 70 { maybe(0.03, "svc.elderly.digital") }
            maybe(0.03, "svc.health.vaccination")
            maybe(0.015, "svc.epidemic.mask_reservation")
        }
        if has("id.health.hypertension") || has("id.health.diabetes") { maybe(0.4, "svc.health.chronic_management") }
        if has("id.elderly.alone") {
            maybe(0.45, "svc.elderly.emergency_call")
            maybe(0.3, "svc.elderly.smart_monitor")
            if age >= 70 { maybe(0.4, "svc.elderly.companion") }
            maybe(0.35, "svc.elderly.phone_greeting")
            maybe(0.25, "svc.elderly.meal_aid")
            maybe(0.3, "svc.housing.smoke_alarm")
            maybe(0.15, "svc.community.volunteer_pairing")
            maybe(0.08, "svc.elderly.cleaning")
            maybe(0.05, "svc.elderly.haircut")
            maybe(0.04, "svc.community.neighbour_help")
            if age >= 80 { maybe(0.1, "svc.community.errand") }
        }
        if has("id.elderly.empty_nest") { maybe(0.06, "svc.elderly.phone_greeting") }
        if age >= 80 {
            maybe(0.12, "svc.elderly.meal_aid")
            maybe(0.05, "svc.elderly.medical_escort")
            maybe(0.04, "svc.elderly.home_adaptation")
            maybe(0.03, "svc.elderly.day_care")
        }
        if has("id.health.dependent") {
            maybe(0.55, "svc.elderly.long_term_care")
            maybe(0.35, "svc.elderly.home_care")
            maybe(0.15, "svc.elderly.bathing")
            maybe(0.05, "svc.elderly.respite")
            maybe(0.08, "svc.health.home_bed")
            maybe(0.1, "svc.health.rehab_nursing")
            maybe(0.15, "svc.health.medicine_delivery")
        }
        if has("id.health.dementia") { maybe(0.4, "svc.elderly.dementia_care") }
        if has("id.health.serious_illness") {
            maybe(assistance == nil ? 0.15 : 0.6, "svc.assistance.medical")
            maybe(0.1, "svc.health.medicine_delivery")
            maybe(0.05, "svc.health.mental_support")
        }
        if has("id.health.severe_mental") {
            maybe(0.5, "svc.reintegration.guardian_subsidy")
            maybe(0.2, "svc.health.mental_support")
            maybe(0.15, "mgmt.key_attention.mental_risk")
        }
        if (50...74).contains(age) { maybe(0.03, "svc.health.cancer_screening") }

        // Disabled people.
        if let disability = tags.first(where: { $0.hasPrefix("id.disabled.") }) {
            let severe = disability.hasSuffix("grade1") || disability.hasSuffix("grade2")
            maybe(0.25, "svc.disabled.rehab")
            maybe(0.2, "svc.disabled.assistive_device")
            if severe { maybe(0.7, "svc.disabled.care_subsidy") }
            if assistance != nil { maybe(0.8, "svc.disabled.living_subsidy") }
            maybe(0.05, "svc.disabled.barrier_free")
            if (18...59).contains(age) {
                if !severe { maybe(0.15, "svc.disabled.employment") }
                if severe { maybe(0.3, "svc.disabled.home_support") }
                if disability.contains(".intellectual.") { maybe(0.4, "svc.disabled.sunshine_home") }
                if disability.contains(".mental.") { maybe(0.35, "svc.disabled.sunshine_heart") }
                if disability.contains(".intellectual.") || disability.contains(".mental.") {
                    maybe(0.15, "svc.disabled.sunshine_base")
                }
            }
        }

        // Households on assistance: payments to the head, relief to all.
        switch assistance {
        case "dibao":
            if m.relation == .head {
                tags.insert("svc.assistance.dibao_payment")
                maybe(0.5, "svc.assistance.holiday_relief")
                maybe(0.3, "svc.assistance.charity_supermarket")
                maybe(0.1, "svc.assistance.temporary")
                maybe(0.1, "svc.assistance.food_bank")
                maybe(0.2, "svc.assistance.utility_relief")
                maybe(0.05, "svc.assistance.housing")
            }
            if (6...22).contains(age) { maybe(0.4, "svc.assistance.education") }
            if (6...15).contains(age) { maybe(0.3, "svc.child.tutoring") }
        case "tekun":
            tags.insert("svc.assistance.tekun_support")
            maybe(0.6, "svc.assistance.holiday_relief")
        case "low_income":
            if m.relation == .head {
                maybe(0.4, "svc.assistance.holiday_relief")
                maybe(0.08, "svc.assistance.temporary")
            }
        default:
            break
        }
        if has("id.family_zero_employment"), (18...59).contains(age) { maybe(0.2, "svc.employment.public_welfare_job") }

        // Children.
        if (1...3).contains(age) { maybe(0.1, "svc.child.nursery") }
        if (6...12).contains(age) { maybe(0.06, "svc.child.summer_care"); maybe(0.04, "svc.child.after_school") }
        if age < 7 { maybe(0.08, "svc.health.vaccination") }
        if (22...45).contains(age), m.relation == .head || m.relation == .spouse { maybe(0.01, "svc.child.parenting") }
        if hasPrefix("id.child_difficulty") {
            maybe(0.8, "svc.child.difficulty_support")
            maybe(0.3, "svc.child.protection")
        }
        if (14...25).contains(age) { maybe(0.001, "mgmt.key_attention.youth") }

        // Adults of working age.
        if (18...59).contains(age) {
            if chance(0.012) {
                tags.insert("svc.employment.unemployment_registration")
                maybe(0.5, "svc.employment.job_matching")
            }
            maybe(0.01, "svc.employment.skills_training")
            maybe(0.002, "svc.employment.startup")
        }
        if m.sex == .female, (22...40).contains(age) { maybe(0.012, "svc.health.maternal_care") }

        // Families.
        if has("id.family_lost_only_child") {
            maybe(0.7, "svc.family.lost_only_child_care")
            maybe(0.9, "svc.family.special_assistance")
        }
        if has("id.family_single_parent"), adult { maybe(0.05, "svc.family.counselling") }

        // Entitled groups and veterans.
        if hasPrefix("id.entitled.") {
            maybe(0.9, "svc.veteran.pension")
            maybe(0.8, "svc.veteran.holiday_visit")
            maybe(0.5, "svc.veteran.honor_plaque")
        } else if has("id.veteran") {
            maybe(0.3, "svc.veteran.holiday_visit")
            maybe(0.4, "svc.veteran.honor_plaque")
        }

        // Specific identities.
        if has("id.released_prisoner") { maybe(0.9, "svc.reintegration.resettlement_help") }
        if has("id.community_correction") { maybe(0.9, "svc.reintegration.correction_support") }
        if has("id.drug_rehab") { maybe(0.8, "svc.reintegration.drug_rehab_support") }

        // Newcomers and migrants.
        if migrant, (18...59).contains(age) { maybe(0.15, "svc.newcomer.residence_permit") }
        if migrant, (6...15).contains(age) { maybe(0.2, "svc.newcomer.school_enrolment") }
        if newcomer { maybe(0.15, "svc.newcomer.integration") }

        // Community life.
        if adult {
            maybe(0.003, "svc.community.legal_aid")
            if (50...72).contains(age) { maybe(0.02, "svc.community.time_bank") }
            maybe(0.02, "svc.community.green_account")
            maybe(0.008, "svc.epidemic.health_checkin")
            if chance(0.0003) { tags.insert("mgmt.key_attention.petition") }
            if chance(0.0002) { tags.insert("mgmt.key_attention") }
        }
        if chance(0.001) {
            tags.insert("mgmt.health_monitoring")
            maybe(0.5, "svc.epidemic.quarantine_care")
        }
    }

    // MARK: Tables

    /// Minority groups by rough weight among Shanghai's minority residents: Hui, Manchu, Zhuang,
    /// Tujia, Miao, Mongol and Korean lead; every other group may appear.
    static let ethnicTable: WeightedTable<String> = {
        let weights: [String: Int] = [
            "hui": 60, "manchu": 42, "zhuang": 30, "tujia": 24, "miao": 21, "mongol": 21, "korean": 18,
            "yi": 9, "uyghur": 9, "dong": 9, "she": 6, "bouyei": 6, "yao": 6, "bai": 6, "tibetan": 6,
            "hani": 3, "kazakh": 3, "li": 3, "dai": 3
        ]
        return WeightedTable(TagCatalogue.ethnicGroups.map { ($0.0, weights[$0.0] ?? 1) })
    }()

    /// Groups most of whose believers are Muslim.
    static let muslimGroups: Set<String> = [
        "hui", "uyghur", "kazakh", "dongxiang", "kyrgyz", "salar", "tajik", "uzbek", "bonan", "tatar"
    ]

    static let religionTable = WeightedTable<String>([
        ("buddhism", 50), ("protestant", 25), ("catholic", 12), ("taoism", 8), ("islam", 5)
    ])

    /// Disability types among older people: mostly physical, visual and hearing.
    static let elderDisabilityTable = WeightedTable<String>([
        ("limb", 45), ("visual", 18), ("hearing", 18), ("speech", 2), ("intellectual", 3), ("mental", 7), ("multiple", 7)
    ])
    /// Disability types among younger people: more intellectual and psychosocial.
    static let youngDisabilityTable = WeightedTable<String>([
        ("limb", 35), ("visual", 8), ("hearing", 8), ("speech", 4), ("intellectual", 20), ("mental", 18), ("multiple", 7)
    ])
    /// Grades 1 (most severe) to 4.
    static let gradeTable = WeightedTable<Int>([(1, 12), (2, 20), (3, 30), (4, 38)])
}
