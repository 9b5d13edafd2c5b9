/// 代办 (issue 22 item 5): a family member with an account may act for an elderly member of
/// their own household (with or without an account of their own), once they have recorded that
/// the member agreed. The rule of who may be acted for; the records are the server's.
public enum ProxyRule {
    /// 老年人: sixty and over (《老年人权益保障法》第二条).
    public static let minimumAge = 60

    /// Why the person may not be acted for, or nil when they may: another household, not living
    /// there, oneself, under sixty.
    public static func refusal(sameHousehold: Bool, living: Bool, isSelf: Bool, birth: CivilDate, today: CivilDate) -> (zh: String, en: String)? {
        if !sameHousehold || !living { return ("只能为同住一户的家人代办", "You may act only for a member of your own household") }
        if isSelf { return ("不能为自己代办", "You cannot act for yourself") }
        if birth.age(on: today) < minimumAge {
            return ("只能为 \(minimumAge) 岁及以上的老人代办", "You may act only for a member aged \(minimumAge) or over")
        }
        return nil
    }
}
