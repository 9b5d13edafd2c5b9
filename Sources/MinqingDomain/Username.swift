import Foundation

/// Login names (用户名): 3–32 characters of ASCII letters, digits, '.', '_' and '-', starting with
/// a letter; stored lower-case so that "Admin" and "admin" are one account.
public enum Username {
    public static func normalize(_ raw: String) -> Result<String, FieldError> {
        let name = raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard (3...32).contains(name.count) else {
            return .failure(
                FieldError(
                    field: "username", messageZH: "用户名须为 3–32 个字符",
                    messageEN: "The username must have 3 to 32 characters"))
        }
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789._-")
        guard let first = name.first, first.isASCII, first.isLetter,
            name.allSatisfy({ allowed.contains($0) })
        else {
            return .failure(
                FieldError(
                    field: "username",
                    messageZH: "用户名须以字母开头，只含字母、数字、点、下划线和连字符",
                    messageEN: "The username must start with a letter and contain only letters, digits, '.', '_' and '-'"))
        }
        return .success(name)
    }
}
