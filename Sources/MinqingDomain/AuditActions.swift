/// What an audit row's action code means, in words a person reads (the My data page, the audit
/// list). The codes stay in the trail and in exports; a code without an entry here reads as
/// 其他操作 / Other action, and the house rules test fails for one written in the sources.
public enum AuditActions {
    static let names: [String: (zh: String, en: String)] = [
        "login": ("登录", "Signed in"),
        "logout": ("退出登录", "Signed out"),
        "login.failed": ("登录失败（密码不对）", "Failed sign-in (wrong password)"),
        "login.locked": ("账号因多次登录失败被暂时锁定", "Account locked after failed sign-ins"),
        "token.issued": ("签发接口令牌", "API token issued"),
        "token.revoked": ("撤销接口令牌", "API token revoked"),
        "account.created": ("开通账号", "Account created"),
        "account.unlocked": ("解除账号锁定", "Account unlocked"),
        "account.disabled": ("停用账号", "Account disabled"),
        "account.enabled": ("启用账号", "Account enabled"),
        "retention.checked": ("检查到期个人信息", "Expired personal data checked"),
        "retention.erased": ("删除到期个人信息", "Expired personal data erased"),
        "password.changed": ("修改密码", "Password changed"),
        "password.reset_at_desk": ("居委会重置密码", "Password reset at the residents' committee"),
        "password.code_sent": ("发送重置密码验证码", "Password reset code sent"),
        "proxy.linked": ("登记为家中老人代办", "Registered to act for an elderly family member"),
        "proxy.ended": ("结束代办", "Stopped acting for a family member"),
        "password.reset_by_code": ("凭短信验证码重设密码", "Password reset with a texted code"),
        "second_factor.enrolled": ("开启两步验证", "Two-step sign-in turned on"),
        "second_factor.recovery_codes": ("重新生成备用码", "Recovery codes renewed"),
        "second_factor.removed": ("关闭两步验证", "Two-step sign-in turned off"),
        "second_factor.reset": ("管理员重置两步验证", "Two-step sign-in reset by an administrator"),
        "personal_data.downloaded": ("下载个人信息副本", "Personal data copy downloaded"),
        "correction.requested": ("申请更正个人信息", "Correction of personal data requested"),
        "correction.answered": ("答复更正申请", "Correction request answered"),
        "pii.revealed": ("查看完整号码", "Full number revealed"),
        "person.looked_up": ("按身份证号码查找居民", "Resident looked up by ID number"),
        "person.added": ("登记居民", "Resident registered"),
        "person.updated": ("更新居民信息", "Resident's record updated"),
        "person.departed": ("登记迁出或死亡", "Departure or death recorded"),
        "household.created": ("登记户", "Household registered"),
        "identity_hold.resolved": ("处理重复身份待核", "Identity hold resolved"),
        "tag.created": ("新建标签", "Tag created"),
        "tag.assigned": ("打标签", "Tag assigned"),
        "tag.ended": ("结束标签", "Tag ended"),
        "aid.recorded": ("登记帮扶记录", "Aid recorded"),
        "aid_programme.changed": ("修改帮扶项目", "Aid programme changed"),
        "help_request.created": ("登记求助", "Help request recorded"),
        "registry.exported": ("导出居民名册", "Register exported"),
        "registry.import_checked": ("检查导入文件", "Import file checked"),
        "registry.imported": ("导入居民名册", "Register imported"),
        "registry.sensitive_list_read": ("查看敏感名单", "Sensitive list read"),
        "smart_group.saved": ("保存智能分组", "Smart group saved"),
        "smart_group.exported": ("导出智能分组", "Smart group exported"),
        "organisations.exported": ("导出组织名单", "Organisations exported"),
        "campaign.entries_exported": ("导出活动登记", "Campaign entries exported"),
        "audit.exported": ("导出审计记录", "Audit trail exported"),
        "visit.recorded": ("记录走访", "Visit recorded"),
        "visit_booking.accepted": ("接受走访预约", "Visit booking accepted"),
        "visit_booking.cancelled": ("取消走访预约", "Visit booking cancelled"),
        "visit_booking.confirmed": ("确认走访预约", "Visit booking confirmed"),
        "visit_booking.done": ("走访预约已完成", "Visit booking done"),
        "visit_booking.proposed": ("提议走访时间", "Visit time proposed"),
        "service_slots.generated": ("开放空间时段", "Space slots opened"),
        "service_slot.open": ("开放空间时段", "Space slot opened"),
        "service_slot.close": ("关闭空间时段", "Space slot closed"),
        "service_slot.block": ("停用空间时段", "Space slot blocked"),
        "ballot.vote_cast": ("业主表决投票", "Owners' ballot vote cast"),
        "case.reported": ("提交留言或诉求", "Message or request sent"),
        "case.co_report": ("附议已有案件", "Joined an existing case"),
        "case.department_bound": ("绑定部门账号", "Department account bound"),
        "case.recategorised": ("更正案件类别", "Case recategorised"),
        "case.supervised": ("督办案件", "Case supervised"),
        "open311.key_issued": ("签发 Open311 密钥", "Open311 key issued"),
        "open311.key_revoked": ("撤销 Open311 密钥", "Open311 key revoked"),
        "demo.loaded": ("载入演示数据", "Demo data loaded"),
        "invitation.issued": ("生成居民注册邀请函", "Sign-up letters issued"),
        "invitation.revoked": ("作废邀请函", "Sign-up letter revoked"),
        "invitation.mismatch": ("注册信息与邀请函不符", "Sign-up did not match its letter"),
        "resident.signed_up": ("用邀请函注册", "Signed up with a letter"),
        "resident.signed_up_at_desk": ("在居委会代为注册", "Signed up at the residents' committee's desk"),
        "notification.retried": ("重新发送短信", "Sent a phone message again"),
        "campaign.reminded": ("提醒未打卡的人", "Reminded those who had not checked in")
    ]

    /// The action `code` in words; case workflow moves (`case.dispatch`, …) by the move's name.
    public static func name(_ code: String, zh: Bool) -> String {
        if let n = names[code] { return zh ? n.zh : n.en }
        if code.hasPrefix("case."), let move = CaseAction(rawValue: String(code.dropFirst(5))) {
            return zh ? "案件：\(move.nameZH)" : "Case: \(move.nameEN)"
        }
        return zh ? "其他操作" : "Other action"
    }

    /// Whether `code` has words of its own (the house rules test asks it of every code written).
    public static func isNamed(_ code: String) -> Bool {
        names[code] != nil || (code.hasPrefix("case.") && CaseAction(rawValue: String(code.dropFirst(5))) != nil)
    }
}
