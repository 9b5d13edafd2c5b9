import Foundation

/// The kinds of unit (单位类型) that offer services and report to the community (双报到): a word
/// staff type when they add a unit. The usual kinds have English names, so an English page says
/// "School" rather than 学校; any other kind is shown as typed.
public enum ServiceUnitKinds {
    /// English names by the Chinese kind.
    public static let englishNames: [String: String] = [
        "机关": "Government office",
        "驻区机关": "Government office in the subdistrict",
        "学校": "School",
        "企业": "Company",
        "医院": "Hospital",
        "社会组织": "Social organisation",
        "事业单位": "Public institution",
        "驻区单位": "Unit based in the subdistrict"
    ]

    /// The kind for a reader: its English name on English pages when it has one, else as typed.
    public static func name(_ kind: String, english: Bool) -> String {
        guard english else { return kind }
        return englishNames[kind.trimmingCharacters(in: .whitespaces)] ?? kind
    }
}
