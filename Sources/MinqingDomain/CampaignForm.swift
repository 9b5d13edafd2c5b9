import Foundation

/// A campaign's registration form (登记表, e.g. 回沪登记): typed fields a staff member defines
/// without code, and the rules that check a resident's answers.
///
/// Field types: text, number (with min/max), decimal with one place (e.g. a temperature, kept in
/// tenths), date, single and multiple choice, resident ID number
/// (GB 11643: checksum and birth date, `ResidentIDNumber`) and mainland mobile number
/// (`MobileNumber`). Every error names the field's label, in Chinese and in English, and never
/// repeats what was typed (answers may be personal numbers).
public enum CampaignForm {
    public enum FieldType: String, Sendable, CaseIterable, Codable {
        case text, number, decimal, date, choice
        case multiChoice = "multi_choice"
        case idNumber = "id_number"
        case mobile

        public var nameZH: String {
            switch self {
            case .text: "文字"
            case .number: "数字"
            case .decimal: "小数（一位）"
            case .date: "日期"
            case .choice: "单选"
            case .multiChoice: "多选"
            case .idNumber: "身份证号"
            case .mobile: "手机号"
            }
        }
        public var nameEN: String {
            switch self {
            case .text: "Text"
            case .number: "Number"
            case .decimal: "Decimal (one place)"
            case .date: "Date"
            case .choice: "Single choice"
            case .multiChoice: "Multiple choice"
            case .idNumber: "ID number"
            case .mobile: "Mobile number"
            }
        }
        /// Answers of this type are personal numbers: sealed by the PII vault, shown masked.
        public var isPersonalNumber: Bool { self == .idNumber || self == .mobile }
        public var hasOptions: Bool { self == .choice || self == .multiChoice }
        /// Numbers with bounds and a threshold: whole numbers and decimals.
        public var isNumeric: Bool { self == .number || self == .decimal }
    }

    /// One field as staff define it.
    public struct Field: Sendable, Equatable {
        /// The input's name in forms and error lists (e.g. the field's id).
        public var key: String
        public var labelZH: String
        public var labelEN: String
        public var type: FieldType
        public var required: Bool
        public var options: [String]
        public var min: Int?
        public var max: Int?
        /// A daily check-in's alert rule (打卡异常): a number or decimal at or above this, in
        /// tenths (37.3 °C is 373) …
        public var alertAtLeast: Int?
        /// … or this option chosen.
        public var alertOption: String?

        public init(
            key: String, labelZH: String, labelEN: String = "", type: FieldType, required: Bool = true,
            options: [String] = [], min: Int? = nil, max: Int? = nil, alertAtLeast: Int? = nil, alertOption: String? = nil
        ) {
            self.key = key
            self.labelZH = labelZH
            self.labelEN = labelEN.isEmpty ? labelZH : labelEN
            self.type = type
            self.required = required
            self.options = options
            self.min = min
            self.max = max
            self.alertAtLeast = alertAtLeast
            self.alertOption = alertOption
        }

        /// Whether an answer meets the field's alert rule.
        public func raisesAlert(_ answer: Answer) -> Bool {
            switch answer {
            case .number(let n): alertAtLeast.map { n * 10 >= $0 } ?? false
            case .tenths(let t): alertAtLeast.map { t >= $0 } ?? false
            case .choices(let chosen): alertOption.map(chosen.contains) ?? false
            default: false
            }
        }

        func error(_ zh: String, _ en: String) -> FieldError {
            FieldError(field: key, messageZH: "「\(labelZH)」\(zh)", messageEN: "“\(labelEN)” \(en)")
        }
    }

    /// A checked answer, ready to store.
    public enum Answer: Sendable, Equatable {
        case empty
        case text(String)
        case number(Int)
        /// A decimal answer in tenths.
        case tenths(Int)
        case date(CivilDate)
        case choices([String])
        case idNumber(ResidentIDNumber)
        case mobile(MobileNumber)

        /// The stored and displayed text: personal numbers masked.
        public var display: String {
            switch self {
            case .empty: ""
            case .text(let s): s
            case .number(let n): String(n)
            case .tenths(let t): CampaignForm.decimalText(t)
            case .date(let d): d.iso8601
            case .choices(let c): c.joined(separator: "；")
            case .idNumber(let id): id.masked
            case .mobile(let m): m.masked
            }
        }
    }

    public static let maxFields = 30
    public static let maxOptions = 20
    public static let maxText = 500
    /// Every number a form asks for, and its bounds, lie in ±1,000,000,000.
    public static let numberRange = -1_000_000_000...1_000_000_000

    /// Tenths as text with one place: 373 → "37.3", -5 → "-0.5".
    public static func decimalText(_ tenths: Int) -> String {
        "\(tenths < 0 ? "-" : "")\(abs(tenths) / 10).\(abs(tenths) % 10)"
    }

    /// A decimal with at most one place as tenths ("37.3", "37", "３７．３"); nil otherwise.
    public static func tenths(parsing text: String) -> Int? {
        let folded = String(text.map(HalfWidth.fold).filter { $0 != " " }).replacingOccurrences(of: "。", with: ".")
        let negative = folded.hasPrefix("-")
        let body = negative ? folded.dropFirst() : Substring(folded)
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = Int(parts[0]), whole >= 0, parts[0].count <= 10,
            parts[0].allSatisfy(\.isASCII)
        else { return nil }
        var tenth = 0
        if parts.count == 2 {
            guard parts[1].count == 1, let digit = Int(parts[1]), parts[1].allSatisfy(\.isASCII) else { return nil }
            tenth = digit
        }
        let value = whole * 10 + tenth
        return negative ? -value : value
    }

    /// Checks a field definition: a label (≤ 40), 2–20 distinct options for a choice, min ≤ max.
    public static func check(definition field: Field) -> [FieldError] {
        var problems: [FieldError] = []
        let label = field.labelZH.trimmingCharacters(in: .whitespaces)
        if label.isEmpty || label.count > 40 {
            problems.append(FieldError(field: field.key, messageZH: "字段名称须为 1–40 字", messageEN: "A field's label has 1–40 characters"))
        }
        if field.type.hasOptions {
            let options = field.options.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            if options.count < 2 || options.count > maxOptions || Set(options).count != options.count
                || options.contains(where: { $0.count > 40 })
            {
                problems.append(field.error("须有 2–20 个互不相同的选项（每项最多 40 字）", "needs 2–20 distinct options (at most 40 characters each)"))
            }
        } else if !field.options.isEmpty && field.options.contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            problems.append(field.error("只有单选、多选字段可设选项", "takes options only as a choice field"))
        }
        if [field.min, field.max].contains(where: { $0.map { !numberRange.contains($0) } ?? false }) {
            problems.append(field.error("的最小值、最大值须在 ±1,000,000,000 之内", "has a minimum or maximum beyond ±1,000,000,000"))
        }
        if let lo = field.min, let hi = field.max, lo > hi {
            problems.append(field.error("的最小值不能大于最大值", "has a minimum above its maximum"))
        }
        if (field.min != nil || field.max != nil) && !field.type.isNumeric {
            problems.append(field.error("只有数字、小数字段可设最小值、最大值", "takes a minimum or maximum only as a number or decimal field"))
        }
        if let at = field.alertAtLeast {
            if !field.type.isNumeric {
                problems.append(field.error("只有数字、小数字段可设异常阈值", "takes an alert threshold only as a number or decimal field"))
            } else if field.type == .number ? (!numberRange.contains(at / 10) || at % 10 != 0) : !numberRange.contains(at) {
                problems.append(
                    field.error(
                        field.type == .number ? "的异常阈值须为 ±1,000,000,000 以内的整数" : "的异常阈值须为 ±100,000,000 以内、最多一位小数",
                        field.type == .number
                            ? "needs a whole alert threshold within ±1,000,000,000"
                            : "needs an alert threshold within ±100,000,000 and one decimal place at most"))
            }
        }
        if let option = field.alertOption {
            if !field.type.hasOptions {
                problems.append(field.error("只有单选、多选字段可设异常选项", "takes an alert option only as a choice field"))
            } else if !field.options.contains(option) {
                problems.append(field.error("的异常选项须是它的选项之一", "needs an alert option among its options"))
            }
        }
        return problems
    }

    /// Checks one answer (the values as submitted; several only for a multiple choice).
    public static func check(_ values: [String], for field: Field, today: CivilDate = .today()) -> Result<Answer, FieldError> {
        let values = values.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        guard let first = values.first else {
            return field.required ? .failure(field.error("为必填项", "is required")) : .success(.empty)
        }
        if values.count > 1 && field.type != .multiChoice {
            return .failure(field.error("只能填一个值", "takes one value"))
        }
        switch field.type {
        case .text:
            guard first.count <= maxText else { return .failure(field.error("最多 \(maxText) 字", "has at most \(maxText) characters")) }
            return .success(.text(first))
        case .number:
            guard let n = Int(String(first.map(HalfWidth.fold).filter { $0 != "," && $0 != " " })) else {
                return .failure(field.error("须为整数", "must be a whole number"))
            }
            if let lo = field.min, n < lo { return .failure(field.error("不能小于 \(lo)", "must be at least \(lo)")) }
            if !numberRange.contains(n) { return .failure(field.error("须在 ±1,000,000,000 之内", "must lie within ±1,000,000,000")) }
            if let hi = field.max, n > hi { return .failure(field.error("不能大于 \(hi)", "must be at most \(hi)")) }
            return .success(.number(n))
        case .decimal:
            guard let t = tenths(parsing: first) else {
                return .failure(field.error("须为数字，最多一位小数", "must be a number with one decimal place at most"))
            }
            if let lo = field.min, t < lo * 10 { return .failure(field.error("不能小于 \(lo)", "must be at least \(lo)")) }
            if !numberRange.contains(t) { return .failure(field.error("须在 ±100,000,000 之内", "must lie within ±100,000,000")) }
            if let hi = field.max, t > hi * 10 { return .failure(field.error("不能大于 \(hi)", "must be at most \(hi)")) }
            return .success(.tenths(t))
        case .date:
            guard let date = try? CivilDate(parsing: first) else {
                return .failure(field.error("须为日期（YYYY-MM-DD）", "must be a date (YYYY-MM-DD)"))
            }
            return .success(.date(date))
        case .choice, .multiChoice:
            guard values.allSatisfy(field.options.contains) else { return .failure(field.error("须从选项中选择", "must be one of its options")) }
            guard Set(values).count == values.count else { return .failure(field.error("选项重复", "has an option twice")) }
            return .success(.choices(field.options.filter(values.contains)))
        case .idNumber:
            do {
                return .success(.idNumber(try ResidentIDNumber(parsing: first, today: today)))
            } catch {
                return .failure(field.error("：" + error.messageZH, "— " + error.messageEN))
            }
        case .mobile:
            do {
                return .success(.mobile(try MobileNumber(parsing: first)))
            } catch {
                return .failure(field.error("：" + error.messageZH, "— " + error.messageEN))
            }
        }
    }

    /// Checks a whole submission (`answers` by field key): every field's answer, or every
    /// field's error at once. Keys that are not fields are ignored.
    public static func check(_ answers: [String: [String]], for fields: [Field], today: CivilDate = .today()) -> Result<
        [String: Answer], ValidationError
    > {
        var errors = ValidationError(fields: [])
        var checked: [String: Answer] = [:]
        for field in fields {
            switch check(answers[field.key] ?? [], for: field, today: today) {
            case .success(let answer): checked[field.key] = answer
            case .failure(let error): errors.append(error)
            }
        }
        return errors.isEmpty ? .success(checked) : .failure(errors)
    }
}
