import Foundation

/// Where a 约走访 slot takes place: the place staff typed, or, when they typed none, the resident's
/// home, stored as the word 上门. The stored word and the usual rooms have English names, so an
/// English page says "At the resident's home" rather than 上门; any other place is shown as typed.
public enum VisitPlace {
    /// The place stored for a slot at the resident's home (上门).
    public static let atHome = "上门"

    /// English names of the stored word and of the rooms slots are usually offered in.
    public static let englishNames: [String: String] = [
        VisitPlace.atHome: "At the resident's home",
        "居委会活动室": "Residents' committee activity room",
        "居委会办公室": "Residents' committee office",
        "社区服务中心": "Community service centre",
        "党群服务站": "Party and community service station"
    ]

    /// The place for a reader: its English name on English pages when it has one, else as typed.
    public static func name(_ place: String, english: Bool) -> String {
        guard english else { return place }
        return englishNames[place.trimmingCharacters(in: .whitespaces)] ?? place
    }
}
