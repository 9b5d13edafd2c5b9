/// One rejected input field, with the reason in Simplified Chinese and in English.
///
/// The server renders a list of these as
/// `{"error":{"code":"validation","fields":[{"field":…,"message":…}]}}`, choosing the message by
/// the request's language (Chinese first). Messages never repeat the submitted value, so they are
/// safe to log even when the field holds personal information (ID and phone numbers).
public struct FieldError: Error, Sendable, Equatable {
    /// The input's name as the client sent it, e.g. `id_number`, `phone`.
    public let field: String
    /// 简体中文 message.
    public let messageZH: String
    /// English message.
    public let messageEN: String

    public init(field: String, messageZH: String, messageEN: String) {
        self.field = field
        self.messageZH = messageZH
        self.messageEN = messageEN
    }

    /// The message for a language tag: English for `en…`, Simplified Chinese for anything else.
    public func message(languageCode: String) -> String {
        languageCode.lowercased().hasPrefix("en") ? messageEN : messageZH
    }
}

/// A domain error that belongs to one input field; the server's error middleware maps any of
/// these to a validation response without knowing the concrete type.
public protocol FieldErrorConvertible: Error {
    /// The error as a field error (field name plus zh/en messages).
    var fieldError: FieldError { get }
}

/// Several rejected fields at once (`code` "validation"), so a form can show every problem in one
/// round trip instead of one per submit.
public struct ValidationError: Error, Sendable, Equatable {
    /// The error code the JSON envelope carries.
    public static let code = "validation"

    /// The rejected fields, in the order they were found.
    public var fields: [FieldError]

    public init(fields: [FieldError]) {
        self.fields = fields
    }

    public init(_ field: FieldError) {
        self.fields = [field]
    }

    /// Whether nothing was rejected.
    public var isEmpty: Bool { fields.isEmpty }

    /// Adds a field error.
    public mutating func append(_ field: FieldError) {
        fields.append(field)
    }

    /// Runs `parse`, keeping its value, or records its field error and returns nil, so that a
    /// handler can validate every field before throwing once:
    /// ```swift
    /// var errors = ValidationError(fields: [])
    /// let id = errors.collect { () throws(ResidentIDNumber.Error) in try ResidentIDNumber(parsing: form.id) }
    /// let phone = errors.collect { () throws(MobileNumber.Error) in try MobileNumber(parsing: form.phone) }
    /// if !errors.isEmpty { throw errors }
    /// ```
    public mutating func collect<T, E: FieldErrorConvertible>(_ parse: () throws(E) -> T) -> T? {
        do {
            return try parse()
        } catch {
            fields.append(error.fieldError)
            return nil
        }
    }
}
