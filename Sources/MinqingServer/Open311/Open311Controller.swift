import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Synchronization
import Vapor

/// Open311 GeoReport v2 under `/open311/v2/`: discovery, services, service definitions,
/// `POST requests` (form-encoded, `api_key`), `GET requests`, `GET requests/{id}`,
/// `GET tokens/{token}`, each as `.xml` or `.json`. Reads need no key (the public list discloses
/// nothing personal); errors are Open311's `errors` document with 400, 403 or 404.
struct Open311Controller: RouteCollection {
    /// Jurisdictions by the `jurisdiction_id` asked for ("" for none), with when they were read;
    /// one per application (the routes are registered once per application).
    let jurisdictions = JurisdictionCache()

    final class JurisdictionCache: Sendable {
        let entries = Mutex<[String: (Open311Queries.Jurisdiction, Date)]>([:])
    }

    /// The catalogue's names and public flags, read at most every 5 s (a category made private
    /// leaves the public list within 5 s), and grid nodes' names, each kept a minute.
    let names = NameCache()

    final class NameCache: Sendable {
        let catalogue = Mutex<(Open311Queries.Catalogue, Date)?>(nil)
        let nodes = Mutex<[UUID: (String, Date)]>([:])
    }

    func catalogue(_ req: Request) async throws -> Open311Queries.Catalogue {
        let now = Date()
        if let (found, at) = names.catalogue.withLock({ $0 }), now.timeIntervalSince(at) < 5 { return found }
        let found = try await Open311Queries.Catalogue.load(on: req.db)
        names.catalogue.withLock { $0 = (found, now) }
        return found
    }

    func nodeNames(_ req: Request) -> @Sendable ([UUID]) async throws -> [UUID: String] {
        let cache = names
        let db = req.db
        return { ids in
            let now = Date()
            var found: [UUID: String] = [:]
            let missing = cache.nodes.withLock { entries in
                ids.filter { id in
                    guard let (name, at) = entries[id], now.timeIntervalSince(at) < 60 else { return true }
                    found[id] = name
                    return false
                }
            }
            guard !missing.isEmpty else { return found }
            let read = try await Open311Queries.nodeNames(missing, on: db)
            cache.nodes.withLock { entries in
                if entries.count > 100_000 { entries.removeAll() } // bounds it
                for (id, name) in read { entries[id] = (name, now) }
            }
            return found.merging(read) { a, _ in a }
        }
    }

    func boot(routes: any RoutesBuilder) throws {
        let v2 = routes.grouped("open311", "v2")
        v2.get(":file", use: top)
        v2.on(.POST, ":file", body: .collect(maxSize: "64kb"), use: post)
        v2.get("services", ":file", use: serviceDefinition)
        v2.get("requests", ":file", use: request)
        v2.get("tokens", ":file", use: token)
    }

    // MARK: - Plumbing

    /// Runs `body` for the path component's name and format; every error becomes Open311's document.
    private func answer(_ req: Request, _ body: (String, Open311.Format) async throws -> (Open311.Value, String)) async -> Response {
        let component = req.parameters.get("file") ?? ""
        guard let (name, format) = Open311.Format.split(component) else {
            return Self.errorResponse(
                Open311Error(status: .notFound, descriptions: ["Unknown resource or format; use .xml or .json / 未知的资源或格式"]),
                format: .xml)
        }
        do {
            let (value, root) = try await body(name, format)
            if format == .json { return Self.respond(bytes: Open311.jsonBytes(value), format: .json) } // no String in between
            return Self.respond(Open311.write(value, root: root, as: format), format: format)
        } catch {
            return Self.errorResponse(error, format: format, logger: req.logger)
        }
    }

    static func respond(bytes: [UInt8], format: Open311.Format, status: HTTPResponseStatus = .ok) -> Response {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: format.contentType)
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: status, headers: headers, body: .init(buffer: ByteBuffer(bytes: bytes)))
    }

    static func respond(_ text: String, format: Open311.Format, status: HTTPResponseStatus = .ok) -> Response {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: format.contentType)
        headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return Response(status: status, headers: headers, body: .init(string: text))
    }

    /// Open311's error document for any error: validation problems name the Open311 field.
    static func errorResponse(_ error: any Error, format: Open311.Format, logger: Logger? = nil) -> Response {
        let status: HTTPResponseStatus
        let descriptions: [String]
        if let error = error as? Open311Error {
            status = error.status
            descriptions = error.descriptions
        } else {
            let app = AppError.from(error)
            if app.status == .internalServerError { logger?.error("open311: \(String(reflecting: type(of: error)))") }
            switch app.status.code {
            case 404: status = .notFound
            case 401, 403: status = .forbidden
            case 500...: status = .internalServerError
            default: status = .badRequest
            }
            descriptions =
                app.fields.isEmpty
                ? ["\(app.messageEN) / \(app.messageZH)"]
                : app.fields.map { "\(Open311Service.wireName[$0.field] ?? $0.field): \($0.messageEN) / \($0.messageZH)" }
        }
        return respond(Open311.errors(descriptions.map { (Int(status.code), $0) }, as: format), format: format, status: status)
    }

    /// The jurisdiction asked for, or the only one served; 400 when several are served and none
    /// is named, 404 when the named one is unknown.
    static func jurisdiction(_ code: String?, on db: any Database) async throws -> Open311Queries.Jurisdiction {
        if let code = code?.trimmingSpaces().nilIfEmpty {
            guard let found = try await Open311Queries.jurisdiction(code: code, on: db) else { throw Open311Error.notFound("jurisdiction_id") }
            return found
        }
        let all = try await Open311Queries.jurisdictions(on: db)
        guard all.count == 1, let only = all.first else { throw Open311Error.missing("jurisdiction_id") }
        return only
    }

    /// `jurisdiction(_:on:)` through a cache of one minute: a subdistrict's code and id do not
    /// change, and the public reads are the hot path (one query fewer per request).
    func jurisdiction(_ req: Request) async throws -> Open311Queries.Jurisdiction {
        let code = Self.param(req, "jurisdiction_id") ?? ""
        let now = Date()
        if let (found, at) = jurisdictions.entries.withLock({ $0[code] }), now.timeIntervalSince(at) < 60 { return found }
        let found = try await Self.jurisdiction(code.isEmpty ? nil : code, on: req.db)
        jurisdictions.entries.withLock { cache in
            if cache.count > 100 { cache.removeAll() } // unknown codes are not cached (they throw); this only bounds it
            cache[code] = (found, now)
        }
        return found
    }

    private static func english(_ req: Request) -> Bool {
        let query = queryFields(req)
        return ((query["locale"]?.first ?? query["lang"]?.first) ?? "").lowercased().hasPrefix("en")
    }

    /// The query string's fields, parsed once (`req.query[…]` would parse it again for every name).
    static func queryFields(_ req: Request) -> [String: [String]] {
        if let cached = req.storage[QueryFieldsKey.self] { return cached }
        var fields: [String: [String]] = [:]
        if let query = req.url.query { addURLEncoded(query, to: &fields) }
        req.storage[QueryFieldsKey.self] = fields
        return fields
    }

    private struct QueryFieldsKey: StorageKey { typealias Value = [String: [String]] }

    /// Adds `a=1&b=2` (form encoding: `+` is a space) to `fields`, repeated keys kept in order.
    static func addURLEncoded(_ text: String, to fields: inout [String: [String]]) {
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                guard s.contains(where: { $0 == "%" || $0 == "+" }) else { return String(s) }
                return String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            let key = decode(parts[0])
            guard !key.isEmpty else { continue }
            fields[key, default: []].append(parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    /// A query parameter, trimmed; empty counts as absent (the specification's "optional").
    static func param(_ req: Request, _ name: String) -> String? {
        queryFields(req)[name]?.first?.trimmingSpaces().nilIfEmpty
    }

    // MARK: - Handlers

    @Sendable func top(req: Request) async throws -> Response {
        await answer(req) { name, format in
            switch name {
            case "discovery": return (Self.discovery(req), "discovery")
            case "services":
                _ = try await self.jurisdiction(req)
                let en = Self.english(req)
                let items = try await Open311Queries.services(on: req.db).map { s -> Open311.Value in
                    let limit = (try? CaseTimeLimit(parsing: s.limit_handle)) ?? CaseTimeLimit.fallback
                    return .object([
                        ("service_code", .string(s.code)), ("service_name", .string(en ? s.name_en : s.name_zh)),
                        ("description", .string(en ? "\(s.name_en): handled within \(limit.nameEN)" : "\(s.name_zh)：\(limit.nameZH)内处置")),
                        ("metadata", .bool(s.attributes > 0)), ("type", .string("realtime")),
                        ("keywords", .string([s.name_zh, s.name_en, s.kind.rawValue].joined(separator: ", "))),
                        ("group", .optional(en ? s.group_en : s.group_zh))
                    ])
                }
                return (.list(item: "service", items), "services")
            case "requests": return try await (.list(item: "request", self.list(req)), "service_requests")
            default: throw Open311Error(status: .notFound, descriptions: ["No such resource: \(name) / 没有该资源"])
            }
        }
    }

    @Sendable func post(req: Request) async throws -> Response {
        await answer(req) { name, format in
            guard name == "requests" else { throw Open311Error(status: .notFound, descriptions: ["No such resource: \(name) / 没有该资源"]) }
            let form = try Self.form(req)
            guard let key = form["api_key"]?.first?.nilIfEmpty else { throw Open311Error.badKey }
            guard let client = try await Open311Queries.client(keyHash: Secrets.hash(key), on: req.db) else { throw Open311Error.badKey }
            let jurisdiction = try await Self.jurisdiction(form["jurisdiction_id"]?.first, on: req.db)
            guard jurisdiction.id == client.subdistrict_id else { throw Open311Error.wrongJurisdiction }
            let (number, notice) = try await Open311Service.submit(
                form: form, client: client, services: req.services, now: req.services.now(),
                clientAddress: req.remoteAddress?.ipAddress ?? "", on: req.db)
            let accountID = form["account_id"]?.first?.nilIfEmpty
            return (
                .list(
                    item: "request",
                    [
                        .object([
                            ("service_request_id", .string(number)), ("service_notice", .string(notice)),
                            ("account_id", .optional(accountID))
                        ])
                    ]), "service_requests"
            )
        }
    }

    @Sendable func serviceDefinition(req: Request) async throws -> Response {
        await answer(req) { code, _ in
            _ = try await self.jurisdiction(req)
            guard try await !Open311Queries.services(code: code, on: req.db).isEmpty else { throw Open311Error.notFound("service_code") }
            let en = Self.english(req)
            let attributes = try await Open311Queries.attributes(of: code, on: req.db)
            let items = attributes.enumerated().map { order, a -> Open311.Value in
                .object([
                    ("variable", .bool(a.variable)), ("code", .string(a.code)), ("datatype", .string(a.datatype.rawValue)),
                    ("required", .bool(a.required)), ("datatype_description", Self.datatypeDescription(a.datatype, en: en)),
                    ("order", .int(order + 1)), ("description", .string(en ? a.descriptionEN : a.descriptionZH)),
                    ("values", .list(item: "value", a.values.map { .object([("key", .string($0.key)), ("name", .string($0.name))]) }))
                ])
            }
            return (.object([("service_code", .string(code)), ("attributes", .list(item: "attribute", items))]), "service_definition")
        }
    }

    @Sendable func request(req: Request) async throws -> Response {
        await answer(req) { id, _ in
            let jurisdiction = try await self.jurisdiction(req)
            let rows = try await Open311Queries.requests(
                .init(numbers: [id], limit: 1), jurisdiction: jurisdiction.id, english: Self.english(req),
                catalogue: try await self.catalogue(req), nodeNames: self.nodeNames(req), on: req.db)
            guard let row = rows.first else { throw Open311Error.notFound("service_request_id") }
            var limits: [String: CaseTimeLimit] = [:]
            return (.list(item: "request", [Self.item(row, english: Self.english(req), limits: &limits)]), "service_requests")
        }
    }

    @Sendable func token(req: Request) async throws -> Response {
        await answer(req) { token, _ in
            let jurisdiction = try await self.jurisdiction(req)
            guard
                let number = try await CasesQueries.byToken(token, visibility: CasesQueries.publicly(subdistrict: jurisdiction.id), on: req.db)?
                    .number
            else {
                throw Open311Error.notFound("token")
            }
            return (.list(item: "request", [.object([("service_request_id", .string(number)), ("token", .string(token))])]), "service_requests")
        }
    }

    // MARK: - Pieces

    static func discovery(_ req: Request) -> Open311.Value {
        let host = req.headers.first(name: .host) ?? "127.0.0.1"
        let scheme = req.headers.first(name: "X-Forwarded-Proto") == "https" ? "https" : "http"
        let changeset = "2026-11-27T00:00:00+08:00"
        return .object([
            ("changeset", .string(changeset)),
            ("contact", .string("街道城运中心（网格化综合管理中心）/ the subdistrict's city operations centre")),
            ("key_service", .string("API keys are issued per client by the subdistrict's administrator (Minqing: 系统管理 → Open311) / 由街道管理员按客户端发放")),
            (
                "endpoints",
                .list(
                    item: "endpoint",
                    [
                        .object([
                            ("specification", .string("http://wiki.open311.org/GeoReport_v2")), ("url", .string("\(scheme)://\(host)/open311/v2")),
                            ("changeset", .string(changeset)), ("type", .string("production")),
                            ("formats", .list(item: "format", [.string("text/xml"), .string("application/json")]))
                        ])
                    ])
            )
        ])
    }

    static func datatypeDescription(_ type: Open311.Datatype, en: Bool) -> Open311.Value {
        switch type {
        case .datetime: .string(en ? "W3C date-time, e.g. 2026-03-06T10:00:00+08:00" : "日期时间，如 2026-03-06T10:00:00+08:00")
        case .number: .string(en ? "A number" : "数字")
        case .multivaluelist: .string(en ? "Any of the listed values" : "可多选")
        default: .null
        }
    }

    /// One request as the specification lists its fields (the row is already cut to what may be public).
    static func item(_ r: Open311Queries.RequestRow, english en: Bool, limits: inout [String: CaseTimeLimit]) -> Open311.Value {
        let state = r.state
        let limit =
            limits[r.limit_handle]
            ?? {
                let parsed = (try? CaseTimeLimit(parsing: r.limit_handle)) ?? CaseTimeLimit.fallback
                limits[r.limit_handle] = parsed
                return parsed
            }()
        return .object([
            ("service_request_id", .string(r.number)),
            ("status", .string(state.isOpen ? "open" : "closed")),
            ("status_notes", .string(en ? state.nameEN : state.nameZH)),
            ("service_name", .string(r.service_name)),
            ("service_code", .string(r.category_code)),
            ("description", .string(r.description)),
            ("agency_responsible", .optional(r.department)),
            ("service_notice", .string(en ? "To be handled within \(limit.nameEN)" : "\(limit.nameZH)内处置")),
            ("requested_datetime", .string(Open311.dateTime(r.reported_at))),
            ("updated_datetime", .string(Open311.dateTime(state.isOpen ? r.updated_at : (r.closed_at ?? r.updated_at)))),
            ("expected_datetime", r.due_at.map { Open311.Value.string(Open311.dateTime($0)) } ?? .null),
            ("address", .string(r.address)),
            ("address_id", .optional(r.address_id)),
            ("zipcode", .null),
            ("lat", r.lat_e6.map { Open311.Value.number(Open311.degrees(e6: $0)) } ?? .null),
            ("long", r.long_e6.map { Open311.Value.number(Open311.degrees(e6: $0)) } ?? .null),
            ("media_url", .optional(r.media_url))
        ])
    }

    /// `GET requests`: every filter of the specification, the default 90-day window, at most 1000.
    func list(_ req: Request) async throws -> [Open311.Value] {
        func param(_ name: String) -> String? { Self.param(req, name) }
        func commaList(_ name: String) -> [String] {
            (param(name) ?? "").split(separator: ",").map { $0.trimmingSpaces() }.filter { !$0.isEmpty }
        }
        let jurisdiction = try await self.jurisdiction(req)
        var filter = Open311Queries.RequestFilter()
        filter.numbers = commaList("service_request_id")
        if filter.numbers.count > Open311.maxRequests {
            throw Open311Error(status: .badRequest, descriptions: ["Too many service_request_id values (at most 1000)"])
        }
        if filter.numbers.isEmpty {
            filter.serviceCodes = commaList("service_code")
            let statuses = Set(commaList("status").map { $0.lowercased() })
            guard statuses.isSubset(of: ["open", "closed"]) else {
                throw Open311Error(status: .badRequest, descriptions: ["status: use open or closed / status 只能为 open 或 closed"])
            }
            filter.open = statuses.count == 1 ? statuses.contains("open") : nil
            let start = try param("start_date").map { text -> Date in
                guard let date = Open311.parseDateTime(text) else {
                    throw Open311Error(status: .badRequest, descriptions: ["start_date: use W3C format, e.g. 2026-01-01T00:00:00Z"])
                }
                return date
            }
            let end = try param("end_date").map { text -> Date in
                guard let date = Open311.parseDateTime(text) else {
                    throw Open311Error(status: .badRequest, descriptions: ["end_date: use W3C format, e.g. 2026-01-01T00:00:00Z"])
                }
                return date
            }
            let window = TimeInterval(Open311.maxWindowDays * 86_400)
            let now = req.services.now()
            switch (start, end) {
            case (nil, nil): filter.from = now.addingTimeInterval(-window); filter.before = now
            case let (s?, nil): filter.from = s; filter.before = s.addingTimeInterval(window)
            case let (nil, e?): filter.from = e.addingTimeInterval(-window); filter.before = e
            case let (s?, e?):
                guard s <= e else { throw Open311Error(status: .badRequest, descriptions: ["start_date is after end_date / 开始时间晚于结束时间"]) }
                guard e.timeIntervalSince(s) <= window else {
                    throw Open311Error(status: .badRequest, descriptions: ["start_date to end_date may not span more than 90 days / 时间范围不得超过 90 天"])
                }
                filter.from = s; filter.before = e
            }
            // Paging beyond the specification's first 1000: page (from 1) and page_size (1–1000).
            if let size = param("page_size") {
                guard let n = Int(size), (1...Open311.maxRequests).contains(n) else {
                    throw Open311Error(status: .badRequest, descriptions: ["page_size: 1 to 1000"])
                }
                filter.limit = n
            }
            if let page = param("page") {
                guard let n = Int(page), n >= 1, n <= 100_000 else { throw Open311Error(status: .badRequest, descriptions: ["page: from 1"]) }
                filter.offset = (n - 1) * filter.limit
            }
        }
        let en = Self.english(req)
        var limits: [String: CaseTimeLimit] = [:] // the rows of one service share its time limit
        return try await Open311Queries.requests(
            filter, jurisdiction: jurisdiction.id, english: en, catalogue: try await catalogue(req),
            nodeNames: nodeNames(req), on: req.db
        ).map { Self.item($0, english: en, limits: &limits) }
    }

    /// The form of `POST requests` (`application/x-www-form-urlencoded`), repeated keys kept in
    /// order; `api_key` and `jurisdiction_id` may also come in the query string.
    static func form(_ req: Request) throws -> [String: [String]] {
        if let type = req.headers.contentType, !(type.type == "application" && type.subType == "x-www-form-urlencoded") {
            throw Open311Error(status: .badRequest, descriptions: ["Send the form as application/x-www-form-urlencoded / 请以表单编码提交"])
        }
        var fields = queryFields(req)
        if var body = req.body.data, let text = body.readString(length: body.readableBytes) { addURLEncoded(text, to: &fields) }
        return fields
    }
}
