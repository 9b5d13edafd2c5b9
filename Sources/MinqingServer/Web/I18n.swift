import MinqingDomain
import Vapor

/// The interface languages: Simplified Chinese first, English second.
public enum Lang: String, Sendable, CaseIterable {
    case zh
    case en

    /// The value of `<html lang>`.
    public var htmlTag: String { self == .zh ? "zh-CN" : "en" }

    /// The cookie that remembers the choice.
    static let cookieName = "minqing_lang"
}

/// A text in both languages; views pick one with `text(lang)`. Keeping both side by side means a
/// missing translation cannot compile.
public struct T: Sendable, Hashable {
    public let zh: String
    public let en: String
    public init(_ zh: String, _ en: String) {
        self.zh = zh
        self.en = en
    }
    public func callAsFunction(_ lang: Lang) -> String { lang == .zh ? zh : en }
}

extension Request {
    /// The caller's language: the remembered choice, else Simplified Chinese. (The browser's
    /// `Accept-Language` is not followed: staff share office machines set up in any language,
    /// and the platform speaks Chinese first.)
    public var lang: Lang {
        if let raw = cookies[Lang.cookieName]?.string, let lang = Lang(rawValue: raw) { return lang }
        return .zh
    }
}

/// The shared catalogue of texts that appear on more than one page.
enum Texts {
    static let appName = T("民情", "Minqing")
    static let tagline = T("社区治理平台", "Community governance platform")
    static let signIn = T("登录", "Sign in")
    static let signOut = T("退出", "Sign out")
    static let username = T("用户名", "Username")
    static let password = T("密码", "Password")
    static let home = T("首页", "Home")
    static let grid = T("网格", "Grid")
    static let register = T("居民库", "Register")
    static let accounts = T("账号", "Accounts")
    static let audit = T("审计", "Audit")
    static let changePassword = T("修改密码", "Change password")
    static let save = T("保存", "Save")
    static let back = T("返回", "Back")
    static let role = T("角色", "Role")
    static let scope = T("管辖范围", "Scope")
    static let code = T("编码", "Code")
    static let name = T("名称", "Name")
    static let level = T("层级", "Level")
    static let children = T("下级", "Children")
    static let skipToContent = T("跳到正文", "Skip to content")
    static let languageName = T("中文", "English")
}

/// A value with a Chinese and an English name (the Domain's kinds, roles and statuses); a view
/// writes `value.name(lang)` instead of its own `lang == .zh ? … : …` helper.
protocol Bilingual {
    var nameZH: String { get }
    var nameEN: String { get }
}

extension Bilingual {
    func name(_ lang: Lang) -> String { lang == .zh ? nameZH : nameEN }
}

extension OrganisationKind: Bilingual {}
extension OrganisationBasis: Bilingual {}
extension MemberRole: Bilingual {}
extension OrganisationPostKind: Bilingual {}
// The register's vocabularies and the services' units (I18n+Data.swift has the data's other names).
extension HouseholdRelation: Bilingual {}
extension ResidenceStatus: Bilingual {}
extension TagKind: Bilingual {}
extension GridLevel: Bilingual {}
extension AidKind: Bilingual {}
extension CompoundType: Bilingual {}
extension OwnerKind: Bilingual {}
extension TimeBankLedger.Unit: Bilingual {}
extension CampaignForm.FieldType: Bilingual {}
