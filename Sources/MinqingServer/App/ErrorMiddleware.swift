import MinqingDomain
import Vapor

/// Turns every error into the application's answer: JSON under `/api`, an error page for
/// browsers. Server errors are logged with their type only, never with request data.
struct AppErrorMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            let appError = AppError.from(error)
            if appError.status == .internalServerError {
                // The route pattern and the error's type only: an error's text can quote a
                // statement's values or the request (a name, an address, a number).
                request.logger.error(
                    "unhandled error on \(request.method) \(request.route?.description ?? "unrouted"): \(String(reflecting: type(of: error)))")
            }
            if request.url.path.hasPrefix("/open311/") {
                // Open311 clients read Open311's error document, in the format the path asks for.
                let last = request.url.path.split(separator: "/").last.map(String.init) ?? ""
                return Open311Controller.errorResponse(appError, format: Open311.Format.split(last)?.format ?? .xml)
            }
            if request.isAPI || request.url.path == "/openapi.json" {
                return Self.json(appError, lang: request.lang)
            }
            return ErrorPage.render(request, error: error is DecodingError ? ErrorPage.unreadableForm : appError)
        }
    }

    struct Envelope: Encodable {
        struct Field: Encodable { var field: String; var message: String; var message_en: String }
        struct Body: Encodable { var code: String; var message: String; var message_en: String; var fields: [Field] }
        var error: Body
    }

    static func json(_ error: AppError, lang: Lang) -> Response {
        let body = Envelope(
            error: .init(
                code: error.code, message: error.messageZH, message_en: error.messageEN,
                fields: error.fields.map { .init(field: $0.field, message: $0.messageZH, message_en: $0.messageEN) }))
        var headers = error.headers
        headers.contentType = .json
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(body)) ?? Data("{\"error\":{\"code\":\"internal\"}}".utf8)
        return Response(status: error.status, headers: headers, body: .init(data: data))
    }
}
