import MinqingDomain
import Plot

/// The purpose fields of every form that shows or exports plain numbers or a sensitive list:
/// a reason from `DisclosurePurpose` and the words that go with it (`purpose`, `purpose_detail`),
/// each with its error beside it.
enum PurposeFields {
    static func render(
        purpose: String, detail: String, errors: [FieldError], idPrefix: String,
        lang: Lang
    ) -> Node<HTML.FormContext> {
        let options: [Node<HTML.SelectContext>] =
            [.option(.value(""), .label(T("请选择", "Choose")(lang)))]
            + DisclosurePurpose.allCases.map { reason in
                .option(.value(reason.rawValue), .label(lang == .zh ? reason.nameZH : reason.nameEN), .isSelected(purpose == reason.rawValue))
            }
        func error(_ field: String) -> Node<HTML.FormContext> {
            .forEach(errors.filter { $0.field == field }) {
                .p(.class("field-error"), .id("\(idPrefix)-error-\(field)"), .text(lang == .zh ? $0.messageZH : $0.messageEN))
            }
        }
        return .group(
            .label(.for("\(idPrefix)-purpose"), .text(T("用途", "Purpose")(lang))),
            .select(
                .attribute(named: "id", value: "\(idPrefix)-purpose"), .attribute(named: "name", value: "purpose"),
                .attribute(named: "required", value: "required"), .group(options)),
            error("purpose"),
            .label(.for("\(idPrefix)-purpose-detail"), .text(T("具体事由", "What for, in your words")(lang))),
            .input(
                .id("\(idPrefix)-purpose-detail"), .name("purpose_detail"), .type(.text), .value(detail.attributeSafe),
                .required(true), .attribute(named: "maxlength", value: "200"),
                .placeholder(T("例如：为张阿姨办理高龄津贴", "e.g. old-age allowance application for Mrs Zhang")(lang))),
            error("purpose_detail"))
    }
}

extension StatedPurpose {
    /// The stated purpose, or a 422 naming the fields.
    static func required(purpose: String?, detail: String?) throws -> StatedPurpose {
        switch check(purpose: purpose, detail: detail) {
        case .success(let stated): return stated
        case .failure(let errors): throw AppError.validation(errors.fields)
        }
    }
}
