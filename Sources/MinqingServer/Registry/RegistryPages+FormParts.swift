import Foundation
import MinqingDomain
import Plot
import Vapor

/// Parts of the register's write forms (a person, a household, aid, help, a departure): a
/// labelled field with its sentence beside it, and choices by their Chinese (or English) names.
extension RegistryViews {
    /// A choice in a `<select>` or a row of radio buttons: what the form sends, what people read.
    struct Choice: Sendable {
        var value: String
        var label: String
    }

    static func relationChoices(_ lang: Lang) -> [Choice] {
        HouseholdRelation.allCases.map { Choice(value: $0.rawValue, label: RegisterFormat.relation($0, lang)) }
    }

    static func residenceChoices(_ lang: Lang) -> [Choice] {
        ResidenceStatus.allCases.map { Choice(value: $0.rawValue, label: RegisterFormat.residence($0, lang)) }
    }

    /// A label, an input and the input's sentence when it failed (`PageParts.fieldError` under
    /// `errorName`, the input's own name unless the service names the field otherwise).
    static func inputField(
        _ label: String, id: String, name: String, value: String, type: HTMLInputType = .text, error: AppError?,
        errorName: String? = nil, lang: Lang, _ extra: Attribute<HTML.InputContext>...
    ) -> Node<HTML.FormContext> {
        let attributes: [Attribute<HTML.InputContext>] = [.id(id), .name(name), .type(type), .value(value.attributeSafe)] + extra
        return .group(
            .label(.for(id), .text(label)),
            .selfClosedElement(named: "input", attributes: attributes),
            PageParts.fieldError(error, errorName ?? name, lang: lang))
    }

    /// A labelled `<select>` of `choices` (with an empty first choice when `prompt` is given) and
    /// its sentence when it failed.
    static func selectField(
        _ label: String, id: String, name: String, choices: [Choice], selected: String, prompt: String? = nil,
        error: AppError?, errorName: String? = nil, lang: Lang
    ) -> Node<HTML.FormContext> {
        var options: [Node<HTML.SelectContext>] = []
        if let prompt { options.append(.option(.value(""), .label(prompt.attributeSafe), .isSelected(selected.isEmpty))) }
        options += choices.map { choice in
            .option(.value(choice.value.attributeSafe), .label(choice.label.attributeSafe), .isSelected(choice.value == selected))
        }
        return .group(
            .label(.for(id), .text(label)),
            .select(.attribute(named: "id", value: id), .attribute(named: "name", value: name), .group(options)),
            PageParts.fieldError(error, errorName ?? name, lang: lang))
    }

    /// A row of big radio buttons (phone-first), `selected` checked, and its sentence.
    static func radioField(
        _ legend: String, id: String, name: String, choices: [Choice], selected: String, error: AppError?, lang: Lang
    ) -> Node<HTML.FormContext> {
        .fieldset(
            .class("choices"), .id(id),
            .element(named: "legend", text: legend),
            .forEach(choices) { choice in
                .label(
                    .class("choice"), .for("\(id)-\(choice.value)"),
                    .input(
                        .type(.radio), .id("\(id)-\(choice.value)"), .name(name), .value(choice.value.attributeSafe),
                        .checked(choice.value == selected)),
                    .span(.text(choice.label)))
            },
            PageParts.fieldError(error, name, lang: lang))
    }

    /// "已迁出 2026-11" / "已故 2026-11-02": a departure as a person reads it.
    static func departureText(_ departure: RegistryRecords.Departure, lang: Lang) -> String {
        switch departure.reason {
        case .movedOut: T("已迁出 \(departure.on)", "Moved out \(departure.on)")(lang)
        case .died: T("已故 \(departure.on)", "Died \(departure.on)")(lang)
        }
    }
}
