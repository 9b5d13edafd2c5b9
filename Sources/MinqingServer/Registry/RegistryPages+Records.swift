import Foundation
import MinqingDomain
import Vapor

/// The person page's record forms (RegistryPages+RecordViews.swift): a help request, an aid
/// record, moving out or a death. Each calls the service `RegistryRecordsController` calls
/// (`addHelpRequest`, `addAid`, `recordDeparture`), so the role, the scope (404) and every check
/// are the API's; on success the browser goes back to the person (303), on a problem the person
/// page comes back with the form as typed and each sentence beside its field.
extension RegistryPages {
    @Sendable func fileHelpRequest(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let fields = try req.content.decode(RegistryViews.HelpFields.self)
        let person = RegistryRecordsController.person(req)
        do {
            _ = try await RegistryRecords.addHelpRequest(
                .init(category: fields.category, description: fields.description, requested_on: fields.requested_on),
                person: person, writer: WriteContext(actor, req), on: req.db)
        } catch let error as AppError where error.status == .unprocessableEntity {
            return try await Self.personAgain(req, actor: actor, error: error) { forms in
                forms.failed = .help
                forms.help = fields
            }
        }
        return try Self.backToPerson(req, person, done: "help", anchor: "help-requests")
    }

    @Sendable func recordAid(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let fields = try req.content.decode(RegistryViews.AidFields.self)
        let person = RegistryRecordsController.person(req)
        do {
            _ = try await RegistryRecords.addAid(
                try Self.aidRequest(fields), person: person, writer: WriteContext(actor, req), on: req.db)
        } catch let error as AppError where error.status == .unprocessableEntity {
            return try await Self.personAgain(req, actor: actor, error: error) { forms in
                forms.failed = .aid
                forms.aid = fields
            }
        }
        return try Self.backToPerson(req, person, done: "aid", anchor: "aid-received")
    }

    @Sendable func recordDeparture(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let fields = try req.content.decode(RegistryViews.DepartureFields.self)
        let person = RegistryRecordsController.person(req)
        do {
            _ = try await RegistryRecords.recordDeparture(
                .init(reason: fields.reason, on: fields.on), person: person, writer: WriteContext(actor, req), on: req.db)
        } catch let error as AppError where error.status == .unprocessableEntity || error.status == .conflict {
            return try await Self.personAgain(req, actor: actor, error: error) { forms in
                forms.failed = .departure
                forms.departure = fields
            }
        }
        return try Self.backToPerson(req, person, done: "departure", anchor: "person-name")
    }

    /// The aid form as the API's body: yuan become fen; a number that cannot be read is a
    /// sentence beside its field (and nothing is written).
    static func aidRequest(_ f: RegistryViews.AidFields) throws -> RegistryRecords.AidRequest {
        func typed(_ text: String?) -> String? {
            let value = (text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            return value.isEmpty ? nil : value
        }
        var problems: [FieldError] = []
        var amount: Int64?
        if let text = typed(f.amount) {
            amount = OversightViews.fen(fromYuan: text)
            if amount == nil {
                problems.append(
                    FieldError(
                        field: "amount_fen", messageZH: "金额请写成元，最多两位小数，如 500 或 12.50",
                        messageEN: "Write the amount in yuan with at most two decimals, e.g. 500 or 12.50"))
            }
        }
        func whole(_ text: String?, field: String, zh: String, en: String) -> Int64? {
            guard let text = typed(text) else { return nil }
            guard let value = Int64(text) else {
                problems.append(FieldError(field: field, messageZH: zh, messageEN: en))
                return nil
            }
            return value
        }
        let quantity = whole(f.quantity, field: "quantity", zh: "数量请填整数", en: "Write the quantity as a whole number")
        let minutes = whole(f.minutes, field: "minutes", zh: "时长请填整数分钟", en: "Write the time as a whole number of minutes")
        var helpRequest: UUID?
        if let text = typed(f.help_request) {
            helpRequest = UUID(uuidString: text)
            if helpRequest == nil {
                problems.append(FieldError(field: "help_request_id", messageZH: "该居民没有这条求助", messageEN: "No such help request for this person"))
            }
        }
        guard problems.isEmpty else { throw AppError.validation(problems) }
        return RegistryRecords.AidRequest(
            programme: f.programme, kind: f.kind, amount_fen: amount, quantity: quantity, unit: typed(f.unit), minutes: minutes,
            description: typed(f.description), given_on: f.given_on, help_request_id: helpRequest)
    }

    /// The person page again with one record form as it was posted and its error (422 or 409).
    static func personAgain(
        _ req: Request, actor: Actor, error: AppError, _ posted: (inout RegistryViews.PersonForms) -> Void
    ) async throws -> Response {
        guard var model = try await Self.personModel(req, actor: actor) else { throw Self.personNotFound }
        model.forms.error = error
        posted(&model.forms)
        // The language switch of a page shown in answer to a POST comes back to the person page.
        var ctx = req.pageContext
        ctx.path = SiteURL.registry(.person(.value(model.person.id))).path
        return RegistryViews.person(model, ctx: ctx, status: error.status)
    }

    /// 303 to the person page saying what was done, at `anchor`.
    static func backToPerson(_ req: Request, _ person: PersonID?, done: String, anchor: String) throws -> Response {
        // The service answered 404 for a missing person, so `person` is set here.
        guard let person else { throw Self.personNotFound }
        return req.redirect(to: SiteURL.registry(.person(.value(person))).path([("done", done)]) + "#" + anchor, redirectType: .normal)
    }
}
