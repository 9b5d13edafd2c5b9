import Foundation
import MinqingDomain
import Testing

@Suite("Campaign registration forms: field definitions and answers")
struct CampaignFormTests {
    static let today = try! CivilDate(parsing: "2026-11-26")

    static let name = CampaignForm.Field(key: "name", labelZH: "姓名", labelEN: "Name", type: .text)
    static let age = CampaignForm.Field(key: "age", labelZH: "年龄", labelEN: "Age", type: .number, min: 0, max: 120)
    static let back = CampaignForm.Field(key: "back", labelZH: "返沪日期", labelEN: "Return date", type: .date)
    static let from = CampaignForm.Field(key: "from", labelZH: "出发地", labelEN: "From", type: .choice, options: ["湖北", "浙江", "其他"])
    static let need = CampaignForm.Field(
        key: "need", labelZH: "需要的帮助", labelEN: "Help needed", type: .multiChoice, required: false,
        options: ["代购", "送药", "心理疏导"])
    static let id = CampaignForm.Field(key: "id", labelZH: "身份证号", labelEN: "ID number", type: .idNumber)
    static let mobile = CampaignForm.Field(key: "mobile", labelZH: "手机", labelEN: "Mobile", type: .mobile, required: false)

    @Test(
        "accepted answers",
        arguments: [
            (name, ["  张三 "], CampaignForm.Answer.text("张三")),
            (age, ["０"], .number(0)),
            (age, ["120"], .number(120)),
            (back, ["2026-02-10"], .date(try! CivilDate(parsing: "2026-02-10"))),
            (from, ["浙江"], .choices(["浙江"])),
            (need, ["送药", "代购"], .choices(["代购", "送药"])),
            (need, [], .empty),
            (mobile, ["+86 138-0013-8000"], .mobile(try! MobileNumber(parsing: "13800138000"))),
            (mobile, [" "], .empty)
        ])
    func accepted(field: CampaignForm.Field, values: [String], answer: CampaignForm.Answer) throws {
        #expect(try CampaignForm.check(values, for: field, today: Self.today).get() == answer)
    }

    @Test("an ID number is checked by the GB 11643 rules and kept masked")
    func idNumber() throws {
        let answer = try CampaignForm.check(["11010519491231002x"], for: Self.id, today: Self.today).get()
        #expect(answer.display == "1****************X")
        guard case .idNumber(let number) = answer else { Issue.record("not an ID"); return }
        #expect(number.normalized == "11010519491231002X")
        #expect(try CampaignForm.check(["13800138000"], for: Self.mobile).get().display == "138****8000")
    }

    @Test(
        "refused answers name the field's label in Chinese and English",
        arguments: [
            (name, [String](), "「姓名」为必填项", "“Name” is required"),
            (age, ["-1"], "「年龄」不能小于 0", "“Age” must be at least 0"),
            (age, ["121"], "「年龄」不能大于 120", "“Age” must be at most 120"),
            (age, ["十二"], "「年龄」须为整数", "“Age” must be a whole number"),
            (back, ["2026-02-30"], "「返沪日期」须为日期（YYYY-MM-DD）", "“Return date” must be a date (YYYY-MM-DD)"),
            (from, ["江苏"], "「出发地」须从选项中选择", "“From” must be one of its options"),
            (from, ["湖北", "浙江"], "「出发地」只能填一个值", "“From” takes one value"),
            (need, ["代购", "代购"], "「需要的帮助」选项重复", "“Help needed” has an option twice"),
            (id, ["110105194912310021"], "「身份证号」：", "“ID number” — "),
            (id, ["110105202712310029"], "「身份证号」：", "“ID number” — "),
            (mobile, ["12800138000"], "「手机」：", "“Mobile” — "),
            (mobile, ["1380013800"], "「手机」：", "“Mobile” — ")
        ])
    func refused(field: CampaignForm.Field, values: [String], zh: String, en: String) {
        guard case .failure(let error) = CampaignForm.check(values, for: field, today: Self.today) else {
            Issue.record("accepted \(values)"); return
        }
        #expect(error.field == field.key)
        #expect(error.messageZH.hasPrefix(zh), "\(error.messageZH)")
        #expect(error.messageEN.hasPrefix(en), "\(error.messageEN)")
        // The message never repeats a personal number.
        for value in values where value.count > 8 { #expect(!error.messageZH.contains(value) && !error.messageEN.contains(value)) }
    }

    @Test("a whole submission reports every field at once")
    func submission() {
        let fields = [Self.name, Self.age, Self.id, Self.need]
        guard case .failure(let errors) = CampaignForm.check(["age": ["200"], "need": ["送药"], "extra": ["x"]], for: fields, today: Self.today) else {
            Issue.record("accepted"); return
        }
        #expect(errors.fields.map(\.field) == ["name", "age", "id"])
        let good = CampaignForm.check(["name": ["李四"], "age": ["30"], "id": ["11010519491231002X"]], for: fields, today: Self.today)
        #expect((try? good.get())?["need"] == .empty)
    }

    @Test(
        "field definitions",
        arguments: [
            (CampaignForm.Field(key: "a", labelZH: "", type: .text), 1),
            (CampaignForm.Field(key: "a", labelZH: "选项", type: .choice, options: ["只有一个"]), 1),
            (CampaignForm.Field(key: "a", labelZH: "选项", type: .choice, options: ["甲", "甲"]), 1),
            (CampaignForm.Field(key: "a", labelZH: "人数", type: .number, min: 5, max: 1), 1),
            (CampaignForm.Field(key: "a", labelZH: "名字", type: .text, min: 1), 1),
            (CampaignForm.Field(key: "a", labelZH: "名字", type: .text, options: ["甲"]), 1),
            (CampaignForm.Field(key: "a", labelZH: "人数", type: .number, min: 1, max: 5), 0),
            (CampaignForm.Field(key: "a", labelZH: "来源", type: .multiChoice, options: ["甲", "乙"]), 0)
        ])
    func definitions(field: CampaignForm.Field, problems: Int) {
        #expect(CampaignForm.check(definition: field).count == problems)
    }

    @Test(
        "decimals with one place, as tenths",
        arguments: [
            ("37.3", 373), ("37", 370), ("３７．３", 373), ("37。3", 373), ("-0.5", -5), (" 36.6 ", 366), ("0.0", 0),
            ("37.25", nil), ("37.", nil), (".5", nil), ("三十七", nil), ("1e2", nil), ("", nil), ("--1", nil)
        ] as [(String, Int?)])
    func tenths(text: String, tenths: Int?) {
        #expect(CampaignForm.tenths(parsing: text) == tenths)
        if let tenths { #expect(CampaignForm.tenths(parsing: CampaignForm.decimalText(tenths)) == tenths) }
    }

    @Test("alert rules: at or above the threshold in tenths, or the option chosen; bounds of a decimal in whole units")
    func alerts() {
        let temperature = CampaignForm.Field(key: "t", labelZH: "体温", type: .decimal, min: 34, max: 43, alertAtLeast: 373)
        #expect(CampaignForm.check(definition: temperature).isEmpty)
        func answer(_ text: String) -> CampaignForm.Answer? { try? CampaignForm.check([text], for: temperature).get() }
        #expect(answer("37.2").map(temperature.raisesAlert) == false)
        #expect(answer("37.3").map(temperature.raisesAlert) == true)
        #expect(answer("38").map(temperature.raisesAlert) == true)
        #expect(answer("43.1") == nil && answer("33.9") == nil && answer("43") == .tenths(430))
        let count = CampaignForm.Field(key: "n", labelZH: "人数", type: .number, alertAtLeast: 50)
        #expect(count.raisesAlert(.number(5)) && !count.raisesAlert(.number(4)))
        let symptoms = CampaignForm.Field(key: "s", labelZH: "症状", type: .multiChoice, options: ["无", "咳嗽", "发热"], alertOption: "发热")
        #expect(symptoms.raisesAlert(.choices(["咳嗽", "发热"])) && !symptoms.raisesAlert(.choices(["咳嗽"])))
        // A rule on the wrong kind of field, an option it lacks, a whole number's threshold with tenths.
        #expect(CampaignForm.check(definition: .init(key: "a", labelZH: "备注", type: .text, alertAtLeast: 10)).count == 1)
        #expect(CampaignForm.check(definition: .init(key: "a", labelZH: "症状", type: .choice, options: ["无", "咳嗽"], alertOption: "发热")).count == 1)
        #expect(CampaignForm.check(definition: .init(key: "a", labelZH: "人数", type: .number, alertAtLeast: 55)).count == 1)
        #expect(CampaignForm.check(definition: .init(key: "a", labelZH: "体温", type: .number, alertOption: "高")).count == 1)
    }
}
