/// The aid programmes a new deployment knows, and whether each is sensitive (PIPL art. 28): a
/// programme that tells of a person's means, health or disability is shown, like a sensitive
/// tag, only to roles that may see sensitive data; to the others it is not there at all. A
/// programme staff name that is not in the catalogue yet is sensitive until an administrator
/// says otherwise.
public enum AidProgrammeDefaults {
    public static let all: [(name: String, sensitive: Bool)] = [
        ("最低生活保障金", true), ("临时救助", true), ("特困人员供养", true), ("医疗救助", true),
        ("节日帮困送温暖", true), ("长护险服务", true), ("残疾人生活补贴", true), ("心理疏导", true),
        ("社区助餐", false), ("居家照护", false), ("高龄津贴", false), ("助浴服务", false)
    ]

    /// Whether a programme entered for the first time is sensitive: yes, until someone says not.
    public static let newProgrammeIsSensitive = true
}
