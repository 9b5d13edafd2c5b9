import Fluent
import Foundation
import MinqingDomain
import Vapor

/// Staff set-up pages, `/services/manage`: plain server-rendered forms (phone-usable, CSRF) that
/// call the same services as the JSON API — a resource, a campaign of each kind (a registration
/// form's fields as rows; "add a row" posts the form back and shows it again with one more row),
/// a volunteer activity, a team and a reward.
extension ServicesPages {
    func bootManage(_ pages: any RoutesBuilder) {
        let staff = pages.grouped(RequireRole(ServicesController.staff))
        staff.get(.services(.manage), use: manage)
        staff.post(.services(.manageSection(.key)), use: manageCreate)
    }

    @Sendable func manage(req: Request) async throws -> Response {
        try await renderManage(req, error: nil, form: [:], section: nil)
    }

    /// The set-up page; `section` is the form that was posted, shown again with `form` and `error`.
    func renderManage(_ req: Request, error: AppError?, form: [String: String], section: String?) async throws -> Response {
        let actor = try req.requireActor()
        var model = ServicesViews.ManageModel(
            campaigns: try await CampaignService.list(for: actor, openOnly: false, on: req.db),
            teams: try await TeamService.list(for: actor, on: req.db),
            rewards: try await RewardService.list(for: actor, on: req.db),
            error: error, form: form, flash: req.query[String.self, at: "done"],
            rows: min(CampaignForm.maxFields, min(CampaignForm.maxFields, max(3, Int(form["rows"] ?? "") ?? 3)) + (form["add_row"] != nil ? 1 : 0)),
            section: section)
        let lang = req.pageContext.lang
        model.caseCategories = try await CasesQueries.categories(on: req.db).filter { $0.parent_code != nil }.map {
            ($0.code, "\($0.code) \(lang == .zh ? $0.name_zh : $0.name_en)")
        }
        return ServicesViews.manage(model, ctx: req.pageContext, status: error?.status ?? .ok)
    }

    static func int(_ text: String?) -> Int? { text.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } }

    /// The registration form's field rows `f<n>_label`, `f<n>_type`, … (empty labels skipped).
    static func fieldRows(_ form: [String: String]) -> [CampaignFormService.FieldInput] {
        (0..<CampaignForm.maxFields).compactMap { n in
            guard let label = form["f\(n)_label"], !label.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
            let options = (form["f\(n)_options"] ?? "").split(whereSeparator: { ",，、;；\n".contains($0) }).map { String($0) }
            // A threshold that is no number stays one (NaN), so that the service names it.
            let at = (form["f\(n)_alert_at_least"] ?? "").trimmingCharacters(in: .whitespaces)
            return .init(
                label: label, label_en: form["f\(n)_label_en"], type: form["f\(n)_type"], required: form["f\(n)_required"] != nil,
                options: options, min: int(form["f\(n)_min"]), max: int(form["f\(n)_max"]),
                alert_at_least: at.isEmpty ? nil : (Double(at) ?? .nan), alert_option: form["f\(n)_alert_option"])
        }
    }

    @Sendable func manageCreate(req: Request) async throws -> Response {
        let form = (try? req.content.decode([String: String].self)) ?? [:]
        let writer = try ServicesController.writer(req)
        let what = req.parameters.get("what") ?? ""
        if what == "campaigns", form["add_row"] != nil { return try await renderManage(req, error: nil, form: form, section: what) }
        func text(_ key: String) -> String? { form[key].flatMap { $0.isEmpty ? nil : $0 } }
        do {
            switch what {
            case "resources":
                _ = try await ServicesService.createResource(
                    .init(
                        unit_name: text("unit_name"), unit_kind: text("unit_kind"), name: text("name"), category: text("category"),
                        kind: text("kind"),
                        node: text("node"), place: text("place"), capacity: Self.int(form["capacity"]), opening_hours: text("opening_hours"),
                        slot_minutes: Self.int(form["slot_minutes"]), rules: text("rules"), bookers: text("bookers"),
                        needs_approval: form["needs_approval"] != nil), writer: writer, on: req.db)
            case "campaigns":
                var slots: [PickupSlotInput] = []
                for n in 0..<3 {
                    if let start = LocalTime.parse(form["s\(n)_starts_at"]) {
                        slots.append(
                            .init(
                                starts_at: start, ends_at: LocalTime.parse(form["s\(n)_ends_at"]), capacity: Self.int(form["s\(n)_capacity"]),
                                place: text("s\(n)_place")))
                    }
                }
                let kind = form["kind"] ?? "registration"
                let id = try await CampaignService.create(
                    .init(
                        kind: kind, description: text("description"), fields: kind == "reservation" ? nil : Self.fieldRows(form),
                        starts_on: text("starts_on"), ends_on: text("ends_on"), self_enrol: form["self_enrol"] != nil,
                        roster_node: text("roster_node"), alert_category: kind == "checkin" ? text("alert_category") : nil,
                        pickup_slots: slots.isEmpty ? nil : slots, title: text("title"), node: text("node"), stock: Self.int(form["stock"]),
                        per_household_limit: Self.int(form["per_household_limit"]), pickup_place: text("pickup_place")), writer: writer, on: req.db)
                return req.redirect(to: SiteURL.services(.campaign(.value(id))))
            case "activities":
                _ = try await VolunteerService.create(
                    .init(
                        team: text("team"), title: text("title"), place: text("place"), node: text("node"),
                        starts_at: LocalTime.parse(form["starts_at"]), ends_at: LocalTime.parse(form["ends_at"]),
                        minutes: Self.int(form["minutes"]), capacity: Self.int(form["capacity"])),
                    writer: writer, on: req.db)
            case "teams":
                _ = try await TeamService.create(
                    .init(name: text("name"), kind: text("kind"), node: text("node"), leader: text("leader")),
                    writer: writer, on: req.db)
            case "rewards":
                _ = try await RewardService.create(
                    .init(
                        name: text("name"), unit: text("unit"), price: Self.int(form["price"]).map(Int64.init),
                        stock: Self.int(form["stock"]), node: text("node")), writer: writer, on: req.db)
            default:
                throw AppError.notFound()
            }
            return req.redirect(to: SiteURL.services(.manage).path([("done", what)]), redirectType: .normal)
        } catch let error as AppError where [.unprocessableEntity, .conflict].contains(error.status) {
            return try await renderManage(req, error: error, form: form, section: what)
        }
    }
}
