import MinqingDomain
import Plot
import Vapor

/// The privacy notice (隐私说明), open to everyone, in both languages: what the platform keeps,
/// why, who sees it, how long, and how a person sees, copies and corrects their own data
/// (PIPL arts. 17, 44–47).
struct PrivacyPage: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.privacy, use: page)
    }

    @Sendable func page(req: Request) async throws -> Response {
        let ctx = req.pageContext
        let lang = ctx.lang
        let years = req.services.config.retentionYears
        let items: [(T, T)] = [
            (
                T("谁在处理", "Who processes it"),
                T(
                    "本平台由街道办事处及其居民区（居委会）为社区治理和服务使用。每个工作人员只能看到其负责网格内的数据，查询在数据库中按网格过滤。",
                    "The subdistrict office and its residents' committees use this platform for community governance and services. Each staff member sees only the data of the grid they are responsible for; every query is filtered by grid in the database."
                )
            ),
            (
                T("保存什么", "What is kept"),
                T(
                    "户和居民的基本信息（姓名、性别、出生日期、与户主关系、居住状态）、身份证号码和手机号码（加密保存，只显示遮蔽形式）、标签、走访记录、求助与救助、预约、留言、投票和登记。",
                    "Households and residents' basic details (name, sex, date of birth, relation to the head, residence), ID and mobile numbers (stored encrypted, shown masked), tags, visit records, help requests and aid, bookings, messages, votes and registrations."
                )
            ),
            (
                T("敏感个人信息", "Sensitive personal information"),
                T(
                    "健康、残疾、经济困难、宗教信仰、特定身份和未满十四岁未成年人的信息为敏感个人信息（第二十八条），只对经授权的工作人员显示；查看这类名单须说明用途并记入审计日志，人数少于 5 的统计格不显示具体数字。",
                    "Health, disability, financial hardship, religion, specific identities and anyone under fourteen are sensitive personal information (art. 28), shown only to authorised staff; reading such a list needs a stated purpose and is written to the audit trail, and figures of fewer than five people are not shown."
                )
            ),
            (
                T("查看完整号码", "Showing a full number"),
                T(
                    "工作人员只有在工作需要时、写明用途后才能查看完整的身份证或手机号码，每一次都记入不可篡改的审计日志。",
                    "Staff see a full ID or mobile number only when their work needs it and after stating the purpose; every time is written to a tamper-evident audit trail."
                )
            ),
            (
                T("保存多久", "How long"),
                T(
                    "居民迁出或去世满 \(years) 年后，其登记信息被删除或匿名化（第四十七条）。审计日志和访问日志永久保存，不少于六个月。",
                    "\(years) years after a resident moves out or dies, their record is erased or anonymised (art. 47). The audit trail and the access log are kept for good, and never less than six months."
                )
            ),
            (
                T("您的权利", "Your rights"),
                T(
                    "登录后在“我的信息”页面可以查看和下载平台保存的您的信息（第四十五条），并可申请更正（第四十六条），居委会核实后答复。",
                    "Signed in, the “My data” page shows and downloads what the platform holds about you (art. 45) and takes correction requests (art. 46), which the residents' committee checks and answers."
                )
            ),
            (
                T("安全", "Security"),
                T(
                    "管理员和街道工作人员须用动态口令（双因素）登录；闲置 \(req.services.config.idleTimeout / 60) 分钟后自动退出；数据加密存储，备份与密钥分开保管。",
                    "Administrators and subdistrict staff sign in with a second factor; a session ends after \(req.services.config.idleTimeout / 60) idle minutes; data is stored encrypted, and backups are kept apart from the key."
                )
            )
        ]
        let title = T("隐私说明", "Privacy notice")(lang)
        return Layout.render(
            ctx, title: title,
            .h1(.text(title)),
            .p(.class("muted"), .text(T("依据《中华人民共和国个人信息保护法》。", "Under the Personal Information Protection Law of the PRC.")(lang))),
            .forEach(items) { heading, body in
                .section(.class("card"), .h2(.text(heading(lang))), .p(.text(body(lang))))
            },
            .unwrap(
                ctx.user, { _ in .p(.a(.id("my-data"), .href(SiteURL.account(.data).path), .text(T("查看我的信息", "See my data")(lang)))) },
                else: .p(.a(.href(SiteURL.login.path), .text(Texts.signIn(lang))))))
    }
}
