import Fluent
import Foundation
import MinqingDomain
import Vapor

/// Tag management on the pages (标签管理): adding a tag to the catalogue (administrators and
/// subdistrict staff), giving a person a tag and ending one (the roles that write the register,
/// inside their scope). Each form goes through the same service as the API
/// (`TagCatalogue.create`, `RegistryRecords.addTag` / `endTag`); on success the browser is sent
/// back to the page (303), on a problem the page comes back with the form and its errors.
struct RegistryTagPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let pages = routes.grouped(RequireSignIn(), RequireRole(RegistryController.readers))
        pages.post(.registry(.tags), use: createTag)
        pages.post(.registry(.personTags(.key)), use: giveTag)
        pages.post(.registry(.personTagEnd(.key, .key)), use: endTag)
        pages.post(.registry(.aidProgramme(.key)), use: markProgramme)
        let api = routes.grouped("api", "v1", "registry", "aid-programmes").grouped(RequireSignIn(), RequireRole(RegistryController.readers))
        api.get(use: programmes)
        api.put(":id", use: setProgramme)
    }

    @Sendable func programmes(req: Request) async throws -> [AidProgrammes.Row] {
        try await AidProgrammes.list(for: try req.requireActor(), on: req.db)
    }

    @Sendable func setProgramme(req: Request) async throws -> AidProgrammes.Row {
        guard let id = req.parameters.get("id", as: UUID.self) else { throw AppError.notFound("救助项目不存在", "No such aid programme") }
        let writer = try req.writeContext()
        return try await AidProgrammes.set(id, try req.content.decode(AidProgrammes.Change.self), writer: writer, on: req.db)
    }

    /// One of a programme's two forms: the sensitive switch, or the English name.
    struct ProgrammeFields: Content { var sensitive: String?; var name_en: String? }

    @Sendable func markProgramme(req: Request) async throws -> Response {
        guard let id = req.parameters.get("id", as: UUID.self) else { throw AppError.notFound("救助项目不存在", "No such aid programme") }
        let fields = try req.content.decode(ProgrammeFields.self)
        let writer = try req.writeContext()
        do {
            _ = try await AidProgrammes.set(
                id, .init(sensitive: fields.sensitive.map { $0 == "true" }, name_en: fields.name_en), writer: writer, on: req.db)
        } catch let error as AppError where error.status == .unprocessableEntity {
            var model = try await RegistryPages.catalogueModel(req, actor: writer.actor)
            model.programmeForm = .init(id: id, nameEN: fields.name_en ?? "", error: error)
            var ctx = req.pageContext
            ctx.path = SiteURL.registry(.tags).path
            return RegistryViews.tags(model, ctx: ctx, status: .unprocessableEntity)
        }
        return req.redirect(to: SiteURL.registry(.tags).path + "#programme-\(id.uuidString)", redirectType: .normal)
    }

    struct NewTagFields: Content {
        var code: String?; var name_zh: String?; var name_en: String?; var kind: String?; var parent: String?; var sensitive: String?
    }

    @Sendable func createTag(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        guard actor.role.managesAccounts else { throw AppError.forbidden }
        let fields = try req.content.decode(NewTagFields.self)
        let sensitive = ["true", "on", "1"].contains(fields.sensitive ?? "")
        let code = (fields.code ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        do {
            _ = try await TagCatalogue.create(
                .init(
                    code: code, name_zh: fields.name_zh, name_en: fields.name_en, kind: fields.kind,
                    parent: fields.parent, sensitive: sensitive), writer: WriteContext(actor, req), on: req.db)
        } catch let error as AppError where error.status == .unprocessableEntity {
            var model = try await RegistryPages.catalogueModel(req, actor: actor)
            model.form = .init(
                code: code, nameZH: fields.name_zh ?? "", nameEN: fields.name_en ?? "", kind: fields.kind ?? "",
                parent: fields.parent ?? "", sensitive: sensitive, errors: error.fields)
            var ctx = req.pageContext
            ctx.path = SiteURL.registry(.tags).path
            return RegistryViews.tags(model, ctx: ctx, status: .unprocessableEntity)
        }
        return req.redirect(to: SiteURL.registry(.tags).path([("created", code)]) + "#tag-\(code)", redirectType: .normal)
    }

    struct GiveFields: Content { var code: String?; var starts_on: String?; var source: String? }

    @Sendable func giveTag(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let fields = try req.content.decode(GiveFields.self)
        let person = RegistryRecordsController.person(req)
        do {
            _ = try await RegistryRecords.addTag(
                .init(code: fields.code, starts_on: fields.starts_on, source: fields.source),
                person: person, writer: WriteContext(actor, req), on: req.db)
        } catch let error as AppError where error.status == .unprocessableEntity || error.status == .conflict {
            guard var model = try await RegistryPages.personModel(req, actor: actor) else { throw RegistryPages.personNotFound }
            model.tagForm = .init(
                code: fields.code ?? "", startsOn: fields.starts_on ?? "", source: fields.source ?? "manual",
                errors: error.fields.isEmpty ? [FieldError(field: "tag", messageZH: error.messageZH, messageEN: error.messageEN)] : error.fields)
            return RegistryViews.person(model, ctx: personContext(req, model), status: error.status)
        }
        // `RegistryRecords.addTag` answers 404 for a missing person, so `person` is set here.
        guard let personID = person else { throw RegistryPages.personNotFound }
        return req.redirect(to: SiteURL.registry(.person(.value(personID))).path([("tag", "given")]) + "#tags", redirectType: .normal)
    }

    struct EndFields: Content { var ends_on: String? }

    @Sendable func endTag(req: Request) async throws -> Response {
        let actor = try req.requireActor()
        let fields = try req.content.decode(EndFields.self)
        let person = RegistryRecordsController.person(req)
        let assignment = req.parameters.get("assignment", as: UUID.self)
        do {
            try await RegistryRecords.endTag(
                .init(ends_on: fields.ends_on), person: person, assignment: assignment, writer: WriteContext(actor, req), on: req.db)
        } catch let error as AppError where (error.status == .unprocessableEntity || error.status == .conflict) && assignment != nil {
            guard var model = try await RegistryPages.personModel(req, actor: actor) else { throw RegistryPages.personNotFound }
            model.endFailure = (
                assignment!,
                error.fields.isEmpty
                    ? [FieldError(field: "ends_on", messageZH: error.messageZH, messageEN: error.messageEN)] : error.fields
            )
            return RegistryViews.person(model, ctx: personContext(req, model), status: error.status)
        }
        // `RegistryRecords.endTag` answers 404 for a missing person, so `person` is set here.
        guard let personID = person else { throw RegistryPages.personNotFound }
        return req.redirect(to: SiteURL.registry(.person(.value(personID))).path([("tag", "ended")]) + "#tags", redirectType: .normal)
    }

    /// The language switch of a page shown in answer to a POST comes back to the person page.
    private func personContext(_ req: Request, _ model: RegistryViews.PersonModel) -> PageContext {
        var ctx = req.pageContext
        ctx.path = SiteURL.registry(.person(.value(model.person.id))).path
        return ctx
    }
}
