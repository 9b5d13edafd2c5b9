import Foundation
import MinqingDomain
import Plot
import Vapor

/// The form parts of the 组织力工程 pages: a labelled input, select or text area with its error
/// beside it (`PageParts.fieldError`), and what the failed form held kept in it. `id` is the
/// input's name and id; `idPrefix` keeps ids unique where one page holds several forms.
extension OrganisationsViews {
    /// What a failed form held, by input name (its `String` and `Int` members), to show it again.
    static func values(_ form: Any) -> [String: String] {
        var values: [String: String] = [:]
        for child in Mirror(reflecting: form).children {
            guard let label = child.label else { continue }
            if let text = child.value as? String {
                values[label] = text
            } else if let number = child.value as? Int {
                values[label] = String(number)
            }
        }
        return values
    }

    static func input(
        _ name: String, _ label: T, _ lang: Lang, error: AppError?, idPrefix: String = "", type: HTMLInputType = .text, value: String = "",
        required: Bool = false, maxLength: Int? = nil
    ) -> Node<HTML.FormContext> {
        let id = idPrefix + name
        return .group(
            .label(.for(id), .text(label(lang))),
            .input(
                .id(id), .name(name), .type(type), .value(value.attributeSafe), .required(required),
                .unwrap(maxLength) { .attribute(named: "maxlength", value: String($0)) }),
            PageParts.fieldError(error, name, lang: lang))
    }

    static func textArea(
        _ name: String, _ label: T, _ lang: Lang, error: AppError?, idPrefix: String = "", value: String = "", required: Bool = false
    ) -> Node<HTML.FormContext> {
        let id = idPrefix + name
        return .group(
            .label(.for(id), .text(label(lang))),
            .textarea(.id(id), .name(name), .rows(3), .required(required), .attribute(named: "maxlength", value: "2000"), .text(value)),
            PageParts.fieldError(error, name, lang: lang))
    }

    /// A select of `(value, label)` pairs, `selected` chosen.
    static func choice(
        _ name: String, _ label: T, _ lang: Lang, error: AppError?, idPrefix: String = "", options: [(String, String)], selected: String = ""
    ) -> Node<HTML.FormContext> {
        let id = idPrefix + name
        return .group(
            .label(.for(id), .text(label(lang))),
            .select(
                .attribute(named: "id", value: id), .attribute(named: "name", value: name),
                .forEach(options) { value, text in .option(.value(value.attributeSafe), .label(text.attributeSafe), .isSelected(value == selected)) }),
            PageParts.fieldError(error, name, lang: lang))
    }

    /// Grid areas by name, indented by depth, as `(code, label)`; `first` (empty value) leads when given.
    static func nodeOptions(_ nodes: [OrganisationsQueries.NodeChoice], first: String?, lang: Lang) -> [(String, String)] {
        let top = nodes.map(\.depth).min() ?? 0
        let rows = nodes.map { n in
            (n.code, String(repeating: "　", count: max(0, n.depth - top)) + "\(n.name)（\(n.level.name(lang))）")
        }
        return (first.map { [("", $0)] } ?? []) + rows
    }

    /// The grid area of a form: a select by name when the scope holds at most `limit` areas (the
    /// query reads one more to tell), else the grid code as text.
    static func nodeField(
        _ name: String, _ label: T, _ lang: Lang, error: AppError?, idPrefix: String = "", nodes: [OrganisationsQueries.NodeChoice],
        limit: Int, selected: String, first: String? = nil
    ) -> Node<HTML.FormContext> {
        nodes.count > limit
            ? input(name, T("\(label.zh)（网格编码）", "\(label.en) (grid code)"), lang, error: error, idPrefix: idPrefix, value: selected)
            : choice(name, label, lang, error: error, idPrefix: idPrefix, options: nodeOptions(nodes, first: first, lang: lang), selected: selected)
    }
}
