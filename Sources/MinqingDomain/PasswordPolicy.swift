/// What a new password must satisfy (密码规则). Bad passwords are refused with a reason in both
/// languages.
public enum PasswordPolicy {
    public static let minimumLength = 10
    /// Bcrypt reads only the first 72 bytes of a password; anything longer would be cut without
    /// a word, so it is refused (72 ASCII characters, 24 Chinese characters).
    public static let maximumLength = 72

    /// The problem with `password`, or nil if it is acceptable. `username` may not be part of it.
    public static func problem(with password: String, username: String) -> FieldError? {
        let count = password.count
        if count < minimumLength {
            return FieldError(
                field: "password",
                messageZH: "密码至少 \(minimumLength) 个字符",
                messageEN: "The password must have at least \(minimumLength) characters")
        }
        if password.utf8.count > maximumLength {
            return FieldError(
                field: "password",
                messageZH: "密码最多 \(maximumLength) 字节（一个汉字占 3 字节）",
                messageEN: "The password may have at most \(maximumLength) bytes (a Chinese character takes 3)")
        }
        let classes = [
            password.contains(where: { $0.isLetter }),
            password.contains(where: { $0.isNumber }),
            password.contains(where: { !$0.isLetter && !$0.isNumber })
        ].filter { $0 }.count
        if classes < 2 {
            return FieldError(
                field: "password",
                messageZH: "密码须包含字母、数字、符号中的至少两类",
                messageEN: "The password must mix at least two of letters, digits and symbols")
        }
        if !username.isEmpty, password.lowercased().contains(username.lowercased()) {
            return FieldError(
                field: "password",
                messageZH: "密码不能包含用户名",
                messageEN: "The password may not contain the username")
        }
        return nil
    }
}
