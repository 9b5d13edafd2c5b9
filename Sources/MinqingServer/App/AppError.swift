import FluentKit
import MinqingDomain
import Vapor

/// The one error type of the application. Under `/api` it renders as
/// `{"error":{"code","message","message_en","fields":[{"field","message","message_en"}]}}`,
/// for browsers as an error page. Messages never contain submitted values.
public struct AppError: Error, Sendable {
    public var status: HTTPResponseStatus
    public var code: String
    public var messageZH: String
    public var messageEN: String
    public var fields: [FieldError]
    public var headers: HTTPHeaders

    public init(
        _ status: HTTPResponseStatus, code: String, zh: String, en: String,
        fields: [FieldError] = [], headers: HTTPHeaders = [:]
    ) {
        self.status = status
        self.code = code
        self.messageZH = zh
        self.messageEN = en
        self.fields = fields
        self.headers = headers
    }

    public func message(_ lang: Lang) -> String { lang == .en ? messageEN : messageZH }

    public static let unauthenticated = AppError(
        .unauthorized, code: "unauthenticated",
        zh: "请先登录", en: "Please sign in first",
        headers: ["WWW-Authenticate": "Bearer realm=\"minqing\""])
    public static let forbidden = AppError(
        .forbidden, code: "forbidden",
        zh: "您的角色无权进行此操作", en: "Your role may not do this")
    public static let badCredentials = AppError(
        .unauthorized, code: "bad_credentials",
        zh: "用户名或密码不正确", en: "The username or password is wrong")
    public static let csrf = AppError(
        .forbidden, code: "csrf",
        zh: "表单已过期，请刷新页面后重试", en: "The form has expired; reload the page and try again")

    public static func notFound(_ zh: String = "找不到该页面或记录", _ en: String = "Not found") -> AppError {
        AppError(.notFound, code: "not_found", zh: zh, en: en)
    }

    public static func tooManyAttempts(retryAfter seconds: Int64) -> AppError {
        let minutes = max(1, (seconds + 59) / 60)
        return AppError(
            .tooManyRequests, code: "too_many_attempts",
            zh: "登录失败次数过多，请 \(minutes) 分钟后再试",
            en: "Too many failed sign-ins; try again in \(minutes) minute\(minutes == 1 ? "" : "s")",
            headers: ["Retry-After": "\(seconds)"])
    }

    public static func validation(_ fields: [FieldError]) -> AppError {
        let names = fields.map(\.field).joined(separator: ", ")
        return AppError(
            .unprocessableEntity, code: "validation",
            zh: "输入有误：\(names)", en: "Invalid input: \(names)", fields: fields)
    }

    public static func validation(_ field: String, zh: String, en: String) -> AppError {
        validation([FieldError(field: field, messageZH: zh, messageEN: en)])
    }

    public static func conflict(_ zh: String, _ en: String) -> AppError {
        AppError(.conflict, code: "conflict", zh: zh, en: en)
    }

    public static func badRequest(_ zh: String, _ en: String, code: String = "bad_request") -> AppError {
        AppError(.badRequest, code: code, zh: zh, en: en)
    }
}

extension AppError: CustomStringConvertible {
    /// Both messages and every field, for the command line and the log (never a submitted value).
    public var description: String {
        ([messageZH + " / " + messageEN] + fields.map { "  \($0.field): \($0.messageZH) / \($0.messageEN)" })
            .joined(separator: "\n")
    }
}

extension AppError {
    /// Maps any error to the application's form: domain field errors become 422, decoding
    /// errors 400 naming the field, Vapor's aborts keep their status, everything else is 500.
    static func from(_ error: any Error) -> AppError {
        switch error {
        case let error as AppError:
            return error
        case let error as ValidationError:
            return .validation(error.fields)
        case let error as FieldError:
            return .validation([error])
        case let error as any FieldErrorConvertible:
            return .validation([error.fieldError])
        case let error as DecodingError:
            return decoding(error)
        case let error as any DatabaseError where error.isConstraintFailure:
            // A constraint the checks before the write did not foresee (a race, or a reference
            // to a row that is not there): the transaction rolled back, so nothing was written.
            return AppError(
                .conflict, code: "conflict", zh: "与已有记录冲突，未作任何修改，请刷新后重试",
                en: "This conflicts with a stored record; nothing was changed. Reload and try again")
        case let error as any AbortError:
            switch error.status {
            case .notFound: return .notFound()
            case .unauthorized: return .unauthenticated
            case .forbidden: return .forbidden
            case .payloadTooLarge:
                return AppError(.payloadTooLarge, code: "too_large", zh: "提交的内容太大", en: "The request body is too large")
            case .unsupportedMediaType:
                return AppError(
                    .unsupportedMediaType, code: "unsupported_media_type",
                    zh: "不支持的内容类型，请使用 JSON", en: "Unsupported content type; send JSON")
            case .badRequest:
                return .badRequest("请求格式有误", "The request is malformed")
            case .methodNotAllowed:
                return AppError(.methodNotAllowed, code: "method_not_allowed", zh: "不支持该请求方法", en: "Method not allowed")
            default:
                return AppError(
                    error.status, code: "http_\(error.status.code)",
                    zh: error.status.reasonPhrase, en: error.status.reasonPhrase)
            }
        default:
            return AppError(
                .internalServerError, code: "internal",
                zh: "服务器内部错误，已记录，请稍后再试", en: "Internal error; it has been logged, please try again later")
        }
    }

    static func decoding(_ error: DecodingError) -> AppError {
        func name(_ path: [any CodingKey], _ key: (any CodingKey)? = nil) -> String {
            let all = path + (key.map { [$0] } ?? [])
            let text = all.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return text.isEmpty ? "body" : text.replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case let .keyNotFound(key, context):
            let field = name(context.codingPath, key)
            return .validation(field, zh: "缺少必填字段 \(field)", en: "The field \(field) is required")
        case let .valueNotFound(_, context):
            let field = name(context.codingPath)
            return .validation(field, zh: "字段 \(field) 不能为空", en: "The field \(field) may not be null")
        case let .typeMismatch(type, context):
            let field = name(context.codingPath)
            return .validation(
                field, zh: "字段 \(field) 的类型不对（应为 \(typeName(type))）",
                en: "The field \(field) has the wrong type (expected \(typeName(type)))")
        case let .dataCorrupted(context):
            if context.codingPath.isEmpty {
                return .badRequest("请求体不是有效的 JSON", "The request body is not valid JSON", code: "bad_json")
            }
            let field = name(context.codingPath)
            return .validation(field, zh: "字段 \(field) 的值无效", en: "The field \(field) has an invalid value")
        @unknown default:
            return .badRequest("请求格式有误", "The request is malformed")
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "string"
        case is Int.Type, is Int64.Type, is Int32.Type: "integer"
        case is Double.Type, is Float.Type: "number"
        case is Bool.Type: "boolean"
        default: "\(type)".lowercased().contains("array") ? "array" : "object"
        }
    }
}
