import Foundation
import Testing

@testable import MinqingDomain

@Suite("Register vocabularies (标签类别、居住状态、与户主关系、小区类型、帮扶类别)")
struct RegisterVocabularyTests {
    // The stored spellings, written out so that a renamed case is caught: they are in the
    // database and the API.

    @Test(
        "TagKind raw values and labels",
        arguments: [
            (TagKind.identity, "identity", "身份", "Identity", "id"),
            (.service, "service", "服务", "Service", "svc"),
            (.management, "management", "管理", "Management", "mgmt")
        ])
    func tagKind(kind: TagKind, raw: String, zh: String, en: String, prefix: String) {
        #expect(kind.rawValue == raw)
        #expect(kind.nameZH == zh)
        #expect(kind.nameEN == en)
        #expect(kind.codePrefix == prefix)
    }

    @Test(
        "ResidenceStatus raw values and labels",
        arguments: [
            (ResidenceStatus.registered, "registered", "户籍"),
            (.resident, "resident", "常住"),
            (.floating, "floating", "流动"),
            (.separated, "separated", "人户分离")
        ])
    func residence(status: ResidenceStatus, raw: String, zh: String) {
        #expect(status.rawValue == raw)
        #expect(status.nameZH == zh)
        #expect(!status.nameEN.isEmpty)
    }

    @Test(
        "HouseholdRelation raw values and labels",
        arguments: [
            (HouseholdRelation.head, "head", "户主"),
            (.spouse, "spouse", "配偶"),
            (.son, "son", "子"),
            (.daughter, "daughter", "女"),
            (.father, "father", "父亲"),
            (.mother, "mother", "母亲"),
            (.grandchild, "grandchild", "孙子女"),
            (.sibling, "sibling", "兄弟姐妹"),
            (.daughterInLaw, "daughter_in_law", "儿媳"),
            (.sonInLaw, "son_in_law", "女婿"),
            (.other, "other", "其他")
        ])
    func relation(relation: HouseholdRelation, raw: String, zh: String) {
        #expect(relation.rawValue == raw)
        #expect(relation.nameZH == zh)
        #expect(!relation.nameEN.isEmpty)
    }

    @Test(
        "CompoundType: Guang'an's six types and their goals",
        arguments: [
            (CompoundType.commodityHousing, "commodity_housing", "商品房", "和谐宜居"),
            (.oldResidential, "old_residential", "老旧", "改造提质"),
            (.resettlement, "resettlement", "集中安置", "睦邻友善"),
            (.mixedUse, "mixed_use", "商住混合", "多元共治"),
            (.urbanRural, "urban_rural", "城乡接合部", "矛盾不上交、平安不出事、服务不缺位"),
            (.workUnit, "work_unit", "单位家属院", "示范率带")
        ])
    func compound(type: CompoundType, raw: String, zh: String, goal: String) {
        #expect(type.rawValue == raw)
        #expect(type.nameZH == zh)
        #expect(type.goalZH == goal)
        #expect(!type.nameEN.isEmpty)
        #expect(!type.goalEN.isEmpty)
    }

    @Test(
        "AidKind raw values, labels and stored units",
        arguments: [
            (AidKind.cash, "cash", "现金", "fen" as String?),
            (.inKind, "in_kind", "实物", nil),
            (.service, "service", "服务", "minutes")
        ])
    func aid(kind: AidKind, raw: String, zh: String, unit: String?) {
        #expect(kind.rawValue == raw)
        #expect(kind.nameZH == zh)
        #expect(kind.storedUnit == unit)
    }

    @Test("case counts")
    func counts() {
        #expect(TagKind.allCases.count == 3)
        #expect(ResidenceStatus.allCases.count == 4)
        #expect(HouseholdRelation.allCases.count == 11)
        #expect(CompoundType.allCases.count == 6)
        #expect(AidKind.allCases.count == 3)
    }

    @Test("labels are distinct within each vocabulary")
    func distinctLabels() {
        func distinct(_ labels: [String]) -> Bool { Set(labels).count == labels.count }
        #expect(distinct(TagKind.allCases.map(\.nameZH)) && distinct(TagKind.allCases.map(\.nameEN)))
        #expect(distinct(ResidenceStatus.allCases.map(\.nameZH)) && distinct(ResidenceStatus.allCases.map(\.nameEN)))
        #expect(distinct(HouseholdRelation.allCases.map(\.nameZH)) && distinct(HouseholdRelation.allCases.map(\.nameEN)))
        #expect(distinct(CompoundType.allCases.map(\.nameZH)) && distinct(CompoundType.allCases.map(\.nameEN)))
        #expect(distinct(AidKind.allCases.map(\.nameZH)) && distinct(AidKind.allCases.map(\.nameEN)))
    }

    @Test("Codable uses the raw value")
    func codable() throws {
        let encoded = try JSONEncoder().encode([HouseholdRelation.daughterInLaw, .head])
        #expect(String(decoding: encoded, as: UTF8.self) == #"["daughter_in_law","head"]"#)
        let decoded = try JSONDecoder().decode([CompoundType].self, from: Data(#"["urban_rural","work_unit"]"#.utf8))
        #expect(decoded == [.urbanRural, .workUnit])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(AidKind.self, from: Data(#""money""#.utf8))
        }
    }

    @Test(
        "labels from import files",
        arguments: [
            ("户主", HouseholdRelation.head as HouseholdRelation?),
            ("本人", .head),
            (" 妻 ", .spouse),
            ("长子", .son),
            ("次女", .daughter),
            ("外孙女", .grandchild),
            ("妹妹", .sibling),
            ("儿媳", .daughterInLaw),
            ("Son-in-law", .sonInLaw),
            ("DAUGHTER_IN_LAW", .daughterInLaw),
            ("ｈｅａｄ", .head),
            ("舅舅", nil),
            ("", nil)
        ])
    func relationLabels(label: String, expected: HouseholdRelation?) {
        #expect(HouseholdRelation(label: label) == expected)
    }

    @Test("other vocabularies accept their labels")
    func otherLabels() {
        #expect(ResidenceStatus(label: "流动人口") == .floating)
        #expect(ResidenceStatus(label: "人户分离") == .separated)
        #expect(ResidenceStatus(label: "Registered") == .registered)
        #expect(ResidenceStatus(label: "暂住") == nil)
        #expect(TagKind(label: "服务标签") == .service)
        #expect(TagKind(label: "mgmt") == nil)
        #expect(CompoundType(label: "老旧小区") == .oldResidential)
        #expect(CompoundType(label: "城乡接合部") == .urbanRural)
        #expect(CompoundType(label: "commodity_housing") == .commodityHousing)
        #expect(AidKind(label: "实物") == .inKind)
        #expect(AidKind(label: "in kind") == .inKind)
        #expect(AidKind(label: "fen") == nil)
        // Every case round-trips through each of its own labels.
        for value in HouseholdRelation.allCases {
            #expect(HouseholdRelation(label: value.rawValue) == value)
            #expect(HouseholdRelation(label: value.nameZH) == value)
            #expect(HouseholdRelation(label: value.nameEN) == value)
        }
        for value in CompoundType.allCases {
            #expect(CompoundType(label: value.nameZH) == value)
            #expect(CompoundType(label: value.nameEN) == value)
        }
    }
}
