import Foundation
import MinqingDomain
import Vapor

/// The input checks every 组织力工程 write shares. Each problem is a `FieldError` on the input's
/// name (for API clients and for the page to set the message beside the field); the messages
/// themselves are sentences that say what to do, in Chinese and English, and never name an input.
extension OrganisationsService {
    /// A text input trimmed: required unless `required` is false, at most `max` characters.
    /// `zh` and `en` name the thing in words ("组织名称" / "name of the organisation").
    static func text(
        _ value: String?, _ field: String, _ zh: String, en: String, max: Int, required: Bool = true, into problems: inout [FieldError]
    ) -> String {
        let value = (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if required && value.isEmpty {
            problems.append(FieldError(field: field, messageZH: "请填写\(zh)", messageEN: "Please fill in the \(en)"))
        }
        if value.count > max {
            problems.append(FieldError(field: field, messageZH: "\(zh)最多 \(max) 字", messageEN: "The \(en) has at most \(max) characters"))
        }
        return value
    }

    /// A date input (`YYYY-MM-DD`, what a date field sends): `value` when empty, else the date;
    /// a sentence naming the date in words when it is not a real one.
    static func day(
        _ raw: String?, _ field: String, _ zh: String, en: String, default value: CivilDate, into problems: inout [FieldError]
    ) -> CivilDate {
        let raw = (raw ?? "").trimmingCharacters(in: .whitespaces)
        guard !raw.isEmpty else { return value }
        if let date = try? CivilDate(parsing: raw) { return date }
        problems.append(
            FieldError(
                field: field, messageZH: "请按“年-月-日”填写有效的\(zh)，例如 2026-11-18",
                messageEN: "Enter the \(en) as a real date, year-month-day, e.g. 2026-11-18"))
        return value
    }

    /// The problem of a grid node that does not exist or lies outside the caller's scope.
    static func nodeProblem(_ field: String = "node") -> FieldError {
        FieldError(field: field, messageZH: "该网格不存在或不在您的管辖范围内，请从列表中选择", messageEN: "That grid area is not in your scope; choose one from the list")
    }

    /// The domain's date and length rules, whose English names their inputs ("ends_on must be
    /// after starts_on", "minutes is required"), said in words; other problems as they are.
    static func said(_ error: FieldError) -> FieldError {
        guard error.messageEN.contains("_") || error.messageEN.hasPrefix(error.field + " ") else { return error }
        let en: String =
            switch error.field {
            case "ends_on": "The end date must come after the start date"
            case "minutes":
                error.messageEN.hasSuffix("required") ? "Please fill in the length in minutes" : "The length " + String(error.messageEN.dropFirst(8))
            default: "Please check this entry"
            }
        return FieldError(field: error.field, messageZH: error.messageZH, messageEN: en)
    }

    /// The domain's points-rule problems, said as sentences (the rule's own messages name its inputs).
    static func pointsProblem(_ error: FieldError) -> FieldError {
        switch error.field {
        case "quantity":
            FieldError(field: "quantity", messageZH: "数量须为 1 至 10000 之间的整数", messageEN: "Enter a quantity from 1 to 10,000")
        default:
            FieldError(field: error.field, messageZH: "请从列表中选择一条公布的积分规则", messageEN: "Choose one of the published points rules")
        }
    }
}
