import Foundation
import Testing

@testable import MinqingDomain

/// The English names of vocabulary stored as Chinese words: aid programmes, in-kind units, the
/// place of a visit slot, compound types' goals and main lines.
@Suite("English names of data vocabulary (救助项目、实物单位、上门、治理目标)")
struct DataVocabularyNamesTests {
    /// Any Han character, or a full-width punctuation mark of Chinese text.
    static func hasCJK(_ text: String) -> Bool {
        let ranges: [ClosedRange<UInt32>] = [0x3000...0x303F, 0x3400...0x9FFF, 0xFF00...0xFFEF]
        return text.unicodeScalars.contains { scalar in ranges.contains { $0.contains(scalar.value) } }
    }

    @Test("every shipped aid programme has an English name, in English, none shared by two programmes")
    func shippedProgrammes() {
        #expect(AidProgrammeDefaults.all.count == 12)
        for programme in AidProgrammeDefaults.all {
            let english = AidProgrammeDefaults.englishNames[programme.name]
            #expect(english != nil, "\(programme.name) has no English name")
            #expect(!Self.hasCJK(english ?? ""), "\(programme.name) → \(english ?? "")")
        }
        let names = Array(AidProgrammeDefaults.englishNames.values)
        #expect(Set(names).count == names.count)
        #expect(names.allSatisfy { !Self.hasCJK($0) && !$0.isEmpty })
    }

    @Test(
        "worked names: a programme by its Chinese name, spaces around it ignored; an unknown one has none",
        arguments: [
            ("最低生活保障金", "Minimum living allowance"), ("社区助餐", "Community meals"), (" 居家照护 ", "Home care"),
            ("生活困难", "Hardship relief"), ("心理疏导", "Counselling")
        ])
    func programme(name: String, english: String) {
        #expect(AidProgrammeDefaults.englishName(of: name) == english)
    }

    @Test("a programme staff made up has no English name")
    func unknownProgramme() {
        #expect(AidProgrammeDefaults.englishName(of: "街道自办慰问") == nil)
    }

    @Test("in-kind units: singular for one, plural otherwise, nil for a unit not listed")
    func units() {
        #expect(AidUnitNames.englishName(of: "份", count: 1) == "portion")
        #expect(AidUnitNames.englishName(of: "份", count: 3) == "portions")
        #expect(AidUnitNames.englishName(of: "份慰问品", count: 2) == "relief parcels")
        #expect(AidUnitNames.englishName(of: "袋") == "bags")
        #expect(AidUnitNames.englishName(of: "坛") == nil)
        #expect(AidUnitNames.english.values.allSatisfy { !Self.hasCJK($0.one) && !Self.hasCJK($0.many) })
    }

    @Test("a slot's place: 上门 and the usual rooms in English on English pages, anything else as typed")
    func places() {
        #expect(VisitPlace.atHome == "上门")
        #expect(VisitPlace.name("上门", english: true) == "At the resident's home")
        #expect(VisitPlace.name("上门", english: false) == "上门")
        #expect(VisitPlace.name("居委会活动室", english: true) == "Residents' committee activity room")
        #expect(VisitPlace.name("汾西路 261 弄 3 号", english: true) == "汾西路 261 弄 3 号")
    }

    @Test("a service unit's kind: the usual kinds in English, any other as typed")
    func unitKinds() {
        #expect(ServiceUnitKinds.name("学校", english: true) == "School")
        #expect(ServiceUnitKinds.name("社会组织", english: true) == "Social organisation")
        #expect(ServiceUnitKinds.name("学校", english: false) == "学校")
        #expect(ServiceUnitKinds.name("养老院", english: true) == "养老院")
        #expect(ServiceUnitKinds.englishNames.values.allSatisfy { !Self.hasCJK($0) })
    }

    @Test("every compound type's goal and main line read in English (改造提质 → Renovate and raise quality)")
    func compoundGoals() {
        #expect(CompoundType.oldResidential.goalZH == "改造提质")
        #expect(CompoundType.oldResidential.goalEN == "Renovate and raise quality")
        for type in CompoundType.allCases {
            #expect(!type.goalEN.isEmpty && !Self.hasCJK(type.goalEN), "\(type) goal")
            #expect(!type.mainLineEN.isEmpty && !Self.hasCJK(type.mainLineEN), "\(type) main line")
            #expect(!Self.hasCJK(type.nameEN), "\(type) name")
        }
    }
}
