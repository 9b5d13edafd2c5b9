import Testing

@testable import MinqingDomain

@Suite("TagCatalogue (标签目录)")
struct TagCatalogueTests {
    let tags = TagCatalogue.tags

    @Test("240 tags with unique codes: 125 identity, 101 service, 14 management")
    func counts() {
        #expect(tags.count == 240)
        #expect(Set(tags.map(\.code)).count == tags.count)
        #expect(tags.filter { $0.kind == .identity }.count == 125)
        #expect(tags.filter { $0.kind == .service }.count == 101)
        #expect(tags.filter { $0.kind == .management }.count == 14)
    }

    @Test("codes are lower-case ASCII with the kind's prefix")
    func codeFormat() {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789_.")
        for tag in tags {
            #expect(tag.code.allSatisfy(allowed.contains), "\(tag.code)")
            #expect(tag.code.hasPrefix(tag.kind.codePrefix + "."), "\(tag.code)")
            #expect(!tag.code.hasSuffix(".") && !tag.code.contains(".."), "\(tag.code)")
        }
    }

    @Test("every parent exists, comes first, has the same kind, and prefixes the child's code")
    func parents() {
        var seen: [String: CatalogueTag] = [:]
        for tag in tags {
            if let parentCode = tag.parentCode {
                let parent = seen[parentCode]
                #expect(parent != nil, "\(tag.code): parent \(parentCode) missing or later")
                #expect(parent?.kind == tag.kind, "\(tag.code)")
                #expect(parent?.parentCode == nil, "\(tag.code): the tree is two levels deep")
                #expect(tag.code.hasPrefix(parentCode + "."), "\(tag.code)")
            }
            seen[tag.code] = tag
        }
        // Only parents' codes prefix other codes: a flat tag never looks like a parent.
        let codes = Set(tags.map(\.code))
        let parentCodes = Set(tags.compactMap(\.parentCode))
        for code in codes where !parentCodes.contains(code) {
            #expect(!codes.contains { $0.hasPrefix(code + ".") }, "\(code)")
        }
    }

    @Test("names are present and unique in both languages")
    func names() {
        for tag in tags {
            #expect(!tag.nameZH.isEmpty && !tag.nameEN.isEmpty, "\(tag.code)")
            #expect(tag.nameZH.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }, "\(tag.code)")
        }
        #expect(Set(tags.map(\.nameZH)).count == tags.count)
        #expect(Set(tags.map(\.nameEN)).count == tags.count)
    }

    @Test("the 55 minority nationalities and the 7 × 4 disability grades")
    func nestedFiller() {
        let ethnic = tags.filter { $0.parentCode == "id.ethnic" }
        #expect(ethnic.count == 55)
        #expect(ethnic.contains { $0.nameZH == "回族" } && ethnic.contains { $0.nameZH == "珞巴族" })
        #expect(!ethnic.contains { $0.nameZH == "汉族" })
        let disabled = tags.filter { $0.parentCode == "id.disabled" }
        #expect(disabled.count == 28)
        #expect(TagCatalogue.tag(code: "id.disabled.limb.grade1")?.nameZH == "肢体残疾一级")
        #expect(TagCatalogue.tag(code: "id.disabled.mental.grade4")?.nameZH == "精神残疾四级")
    }

    @Test(
        "十必访: ten groups, each naming existing tags",
        arguments: [
            ("独居老人", "id.elderly.alone"),
            ("高龄老人", "id.elderly.very_old"),
            ("残疾人", "id.disabled"),
            ("低保、低收入、特困家庭", "id.assistance"),
            ("大病重病患者", "id.health.serious_illness"),
            ("失独家庭", "id.family_lost_only_child"),
            ("优抚对象", "id.entitled"),
            ("社区矫正和刑满释放人员", "id.community_correction"),
            ("新迁入居民", "id.newcomer"),
            ("困境儿童", "id.child_difficulty")
        ])
    func mustVisit(nameZH: String, code: String) {
        #expect(TagCatalogue.mustVisitGroups.count == 10)
        #expect(Set(TagCatalogue.mustVisitGroups.map(\.key)).count == 10)
        let group = TagCatalogue.mustVisitGroups.first { $0.nameZH == nameZH }
        #expect(group?.tagCodes.contains(code) == true)
        for code in group?.tagCodes ?? [] {
            #expect(TagCatalogue.tag(code: code)?.kind == .identity, "\(code)")
        }
    }

    @Test(
        "the identities 十必访 and the rules need",
        arguments: [
            ("id.elderly.alone", "独居老人"),
            ("id.elderly.very_old", "高龄老人（80周岁以上）"),
            ("id.assistance.dibao", "低保对象"),
            ("id.assistance.tekun", "特困人员"),
            ("id.assistance.low_income", "低收入困难家庭"),
            ("id.health.serious_illness", "大病重病"),
            ("id.family_lost_only_child", "失独家庭"),
            ("id.entitled", "优抚对象"),
            ("id.community_correction", "社区矫正对象"),
            ("id.released_prisoner", "刑满释放人员"),
            ("id.newcomer", "新迁入居民"),
            ("id.child_difficulty", "困境儿童"),
            ("id.minor", "未成年人（未满14周岁）"),
            ("id.party_member", "中共党员")
        ])
    func requiredTags(code: String, nameZH: String) {
        #expect(TagCatalogue.tag(code: code)?.nameZH == nameZH)
    }

    @Test(
        "sensitive marks follow PIPL art. 28",
        arguments: [
            ("id.health.diabetes", true), ("id.disabled", true), ("id.disabled.visual.grade3", true),
            ("id.religion.buddhism", true), ("id.ethnic.hui", true), ("id.party_member", true),
            ("id.community_correction", true), ("id.released_prisoner", true), ("id.drug_rehab", true),
            ("id.minor", true), ("id.child_difficulty.orphan", true), ("id.assistance.dibao", true),
            ("svc.disabled.rehab", true), ("svc.reintegration.resettlement_help", true),
            ("mgmt.key_attention.petition", true), ("mgmt.health_monitoring", true),
            ("id.elderly", false), ("id.elderly.alone", false), ("id.veteran", false), ("id.newcomer", false),
            ("svc.elderly.meal_aid", false), ("mgmt.safety.fire", false), ("mgmt.rental", false)
        ])
    func sensitive(code: String, expected: Bool) {
        #expect(TagCatalogue.tag(code: code)?.sensitive == expected)
    }

    @Test("a sensitive parent's children are all sensitive")
    func sensitiveInherited() {
        let sensitiveParents = Set(tags.filter { $0.sensitive && $0.parentCode == nil }.map(\.code))
        for tag in tags {
            if let parent = tag.parentCode, sensitiveParents.contains(parent) {
                #expect(tag.sensitive, "\(tag.code)")
            }
        }
    }

    @Test("lookups: tag(code:), position(of:), codes(under:)")
    func lookups() {
        #expect(TagCatalogue.tag(code: "svc.elderly.meal_aid")?.kind == .service)
        #expect(TagCatalogue.tag(code: "svc.meal") == nil)
        #expect(TagCatalogue.position(of: tags[17].code) == 17)
        #expect(TagCatalogue.position(of: "nope") == nil)
        #expect(TagCatalogue.codes(under: "id.religion").count == 6)
        #expect(TagCatalogue.codes(under: "id.disabled").count == 29)
        #expect(TagCatalogue.codes(under: "id.ethnic").count == 56)
        #expect(TagCatalogue.codes(under: "id.elderly.alone") == ["id.elderly.alone"])
        #expect(TagCatalogue.codes(under: "id.eld").isEmpty)
    }
}
