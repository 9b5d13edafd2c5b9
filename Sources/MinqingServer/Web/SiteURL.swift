import Foundation
import MinqingDomain
import Vapor

/// Every page of the site, in one place: the routes are registered from these cases
/// (`routes.get(.cases(.detail(.key)), use: show)`) and every link, form action and redirect is
/// built from them (`SiteURL.cases(.detail(.value(id))).path`), so a renamed page cannot leave a
/// dead link behind. The JSON API (`/api/v1`), Open311 and the system endpoints register their
/// own routes; `HouseRulesTests` fails on a page path written as a string literal elsewhere.
package enum SiteURL: Sendable {
    case home
    case assets(_ file: Parameter<String>)
    case lang(_ lang: Parameter<String>)
    case login
    case loginSecondFactor
    case logout
    case privacy
    case signup
    /// A forgotten password: ask for a code by text message, then set a new one with it.
    case passwordForgot
    case passwordReset
    case account(Account)
    case admin(Admin)
    case cases(Cases)
    case cobuilding(Cobuilding)
    case dashboard(Dashboard)
    case dual(Dual)
    case grid(Grid)
    case notifications(Inbox)
    case organisations(Organisations)
    case oversight(Oversight)
    case registry(Registry)
    case residents(Residents)
    case services(Services)
    case staff(Staff)
    case visits(Visits)
    case voting(Voting)

    /// The path as route components: `.key` parameters become `:name`.
    package var components: [PathComponent] {
        switch self {
        case .home: []
        case .assets(let file): ["assets", file.component("file")]
        case .lang(let lang): ["lang", lang.component("lang")]
        case .login: ["login"]
        case .loginSecondFactor: ["login", "second-factor"]
        case .logout: ["logout"]
        case .privacy: ["privacy"]
        case .signup: ["signup"]
        case .passwordForgot: ["password", "forgot"]
        case .passwordReset: ["password", "reset"]
        case .account(let page): ["account"] + page.components
        case .admin(let page): ["admin"] + page.components
        case .cases(let page): ["cases"] + page.components
        case .cobuilding(let page): ["cobuilding"] + page.components
        case .dashboard(let page): ["dashboard"] + page.components
        case .dual(let page): ["dual"] + page.components
        case .grid(let page): ["grid"] + page.components
        case .notifications(let page): ["notifications"] + page.components
        case .organisations(let page): ["organisations"] + page.components
        case .oversight(let page): ["oversight"] + page.components
        case .registry(let page): ["registry"] + page.components
        case .residents(let page): ["residents"] + page.components
        case .services(let page): ["services"] + page.components
        case .staff(let page): ["staff"] + page.components
        case .visits(let page): ["visits"] + page.components
        case .voting(let page): ["voting"] + page.components
        }
    }

    /// The link to the page: `/` for the home page, each value percent-encoded.
    package var path: String {
        "/"
            + components.map { component in
                switch component {
                case .constant(let text): text.addingPercentEncoding(withAllowedCharacters: Self.segmentAllowed) ?? text
                case .parameter(let name): ":" + name
                case .anything: "*"
                case .catchall: "**"
                }
            }.joined(separator: "/")
    }

    /// The link with a query string of the non-empty pairs; the caller still passes it through
    /// `attributeSafe` when it goes into an attribute.
    package func path(_ query: [(String, String)]) -> String {
        let query = Self.query(query)
        return query.isEmpty ? path : path + "?" + query
    }

    /// A query string of the non-empty pairs, every value percent-encoded (only ASCII letters,
    /// digits and `-._~` stay as they are).
    package static func query(_ items: [(String, String)]) -> String {
        items.filter { !$0.1.isEmpty }
            .map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: unreserved) ?? "")" }
            .joined(separator: "&")
    }

    private static let segmentAllowed = CharacterSet.urlPathAllowed.subtracting(CharacterSet(charactersIn: "/;"))
    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// A path parameter: `.key` where the route is registered, `.value(x)` where it is linked.
    package enum Parameter<Value: PathSegment>: Sendable {
        case key
        case value(Value)

        func component(_ name: String) -> PathComponent {
            switch self {
            case .key: .parameter(name)
            case .value(let value): .constant(value.pathSegment)
            }
        }
    }

    package enum Account: Sendable {
        case data
        case dataCorrections
        case dataDownload
        case display
        case householdInvite
        case notifications
        case password
        /// 代办: the elderly family members the resident acts for.
        case proxies
        case proxyEnd(_ id: Parameter<UUID>)
        case secondFactor
        case secondFactorConfirm
        case secondFactorDisable
        case secondFactorRecoveryCodes
        case secondFactorStart
        package var components: [PathComponent] {
            switch self {
            case .data: ["data"]
            case .dataCorrections: ["data", "corrections"]
            case .dataDownload: ["data", "download"]
            case .display: ["display"]
            case .householdInvite: ["household", "invite"]
            case .notifications: ["notifications"]
            case .password: ["password"]
            case .proxies: ["proxies"]
            case .proxyEnd(let id): ["proxies", id.component("id"), "end"]
            case .secondFactor: ["second-factor"]
            case .secondFactorConfirm: ["second-factor", "confirm"]
            case .secondFactorDisable: ["second-factor", "disable"]
            case .secondFactorRecoveryCodes: ["second-factor", "recovery-codes"]
            case .secondFactorStart: ["second-factor", "start"]
            }
        }
    }

    package enum Admin: Sendable {
        case accounts
        case accountDisabled(_ username: Parameter<String>)
        case accountSecondFactorReset(_ username: Parameter<String>)
        case audit
        case auditExport
        case open311Clients
        case open311ClientRevoke(_ id: Parameter<UUID>)
        package var components: [PathComponent] {
            switch self {
            case .open311Clients: ["open311-clients"]
            case .open311ClientRevoke(let id): ["open311-clients", id.component("id"), "revoke"]
            case .accounts: ["accounts"]
            case .accountDisabled(let username): ["accounts", username.component("username"), "disabled"]
            case .accountSecondFactorReset(let username): ["accounts", username.component("username"), "second-factor", "reset"]
            case .audit: ["audit"]
            case .auditExport: ["audit", "export"]
            }
        }
    }

    package enum Cases: Sendable {
        case index
        case detail(_ id: Parameter<CaseID>)
        case action(_ id: Parameter<CaseID>, _ action: Parameter<String>)
        case category(_ id: Parameter<CaseID>)
        case followup(_ id: Parameter<CaseID>)
        case report(_ id: Parameter<CaseID>)
        case supervise(_ id: Parameter<CaseID>)
        case indicators
        case new
        case supervision
        case catalogue
        case catalogueCategories
        case catalogueCategory(_ code: Parameter<String>)
        case catalogueDepartments
        case catalogueDepartmentAccounts
        case projects
        case project(_ id: Parameter<CaseID>)
        package var components: [PathComponent] {
            switch self {
            case .index: []
            case .detail(let id): [id.component("id")]
            case .action(let id, let action): [id.component("id"), "actions", action.component("action")]
            case .category(let id): [id.component("id"), "category"]
            case .followup(let id): [id.component("id"), "followup"]
            case .report(let id): [id.component("id"), "report"]
            case .supervise(let id): [id.component("id"), "supervise"]
            case .indicators: ["indicators"]
            case .new: ["new"]
            case .supervision: ["supervision"]
            case .catalogue: ["catalogue"]
            case .catalogueCategories: ["catalogue", "categories"]
            case .catalogueCategory(let code): ["catalogue", "categories", code.component("code")]
            case .catalogueDepartments: ["catalogue", "departments"]
            case .catalogueDepartmentAccounts: ["catalogue", "department-accounts"]
            case .projects: ["projects"]
            case .project(let id): [id.component("id"), "project"]
            }
        }
    }

    package enum Cobuilding: Sendable {
        case unit(_ id: Parameter<UUID>)
        case commitmentCheck(_ id: Parameter<UUID>)
        case contracts(_ id: Parameter<UUID>)
        case items(_ id: Parameter<UUID>)
        case points(_ id: Parameter<UUID>)
        package var components: [PathComponent] {
            switch self {
            case .unit(let id): ["units", id.component("id")]
            case .commitmentCheck(let id): ["commitments", id.component("id"), "check"]
            case .contracts(let id): ["units", id.component("id"), "contracts"]
            case .items(let id): ["units", id.component("id"), "items"]
            case .points(let id): ["units", id.component("id"), "points"]
            }
        }
    }

    package enum Dashboard: Sendable {
        case index
        case csv(_ panel: Parameter<String>, _ table: Parameter<String>)
        case panel(_ panel: Parameter<String>)
        package var components: [PathComponent] {
            switch self {
            case .index: []
            case .csv(let panel, let table): ["csv", panel.component("panel"), table.component("table")]
            case .panel(let panel): ["panels", panel.component("panel")]
            }
        }
    }

    package enum Dual: Sendable {
        case index
        case claims
        case register
        case service
        case unitReport(_ id: Parameter<UUID>)
        package var components: [PathComponent] {
            switch self {
            case .index: []
            case .claims: ["claims"]
            case .register: ["register"]
            case .service: ["service"]
            case .unitReport(let id): ["units", id.component("id"), "report"]
            }
        }
    }

    package enum Grid: Sendable {
        case index
        case node(_ code: Parameter<String>)
        package var components: [PathComponent] {
            switch self {
            case .index: []
            case .node(let code): [code.component("code")]
            }
        }
    }

    package enum Organisations: Sendable {
        case index
        case buildingGroupLeaders
        case export
        case detail(_ id: Parameter<UUID>)
        case changes(_ id: Parameter<UUID>)
        case memberEnd(_ id: Parameter<UUID>, _ member: Parameter<UUID>)
        case memberIdentity(_ id: Parameter<UUID>, _ member: Parameter<UUID>)
        case members(_ id: Parameter<UUID>)
        case posts(_ id: Parameter<UUID>)
        case terms(_ id: Parameter<UUID>)
        package var components: [PathComponent] {
            switch self {
            case .index: []
            case .buildingGroupLeaders: ["building-group-leaders"]
            case .export: ["export"]
            case .detail(let id): [id.component("id")]
            case .changes(let id): [id.component("id"), "changes"]
            case .memberEnd(let id, let member): [id.component("id"), "members", member.component("member"), "end"]
            case .memberIdentity(let id, let member): [id.component("id"), "members", member.component("member"), "identity"]
            case .members(let id): [id.component("id"), "members"]
            case .posts(let id): [id.component("id"), "posts"]
            case .terms(let id): [id.component("id"), "terms"]
            }
        }
    }

    package enum Oversight: Sendable {
        case index
        case committees
        case committee(_ id: Parameter<UUID>)
        case committeeDisclosures(_ id: Parameter<UUID>)
        case committeeMembers(_ id: Parameter<UUID>)
        case committeeRecords(_ id: Parameter<UUID>)
        case companies
        case company(_ id: Parameter<UUID>)
        case companyAccounts(_ id: Parameter<UUID>)
        case companyComplaints(_ id: Parameter<UUID>)
        case companyContracts(_ id: Parameter<UUID>)
        case companyInspections(_ id: Parameter<UUID>)
        case companyStaff(_ id: Parameter<UUID>)
        case companyStaffEnd(_ id: Parameter<UUID>, _ staff: Parameter<UUID>)
        case companySurveys(_ id: Parameter<UUID>)
        case complaintAnswers(_ id: Parameter<UUID>)
        case compound(_ id: Parameter<UUID>)
        case compoundMeasure(_ id: Parameter<UUID>, _ measure: Parameter<String>)
        case milestoneDone(_ id: Parameter<UUID>)
        case myCompany
        case myCompound
        case project(_ id: Parameter<UUID>)
        case projectMilestones(_ id: Parameter<UUID>)
        case rectificationAnswers(_ id: Parameter<UUID>)
        case rectificationClose(_ id: Parameter<UUID>)
        case shops
        case shop(_ id: Parameter<UUID>)
        case shopInspections(_ id: Parameter<UUID>)
        case shopPledges(_ id: Parameter<UUID>)
        package var components: [PathComponent] {
            switch self {
            case .index: []
            case .committees: ["committees"]
            case .committee(let id): ["committees", id.component("id")]
            case .committeeDisclosures(let id): ["committees", id.component("id"), "disclosures"]
            case .committeeMembers(let id): ["committees", id.component("id"), "members"]
            case .committeeRecords(let id): ["committees", id.component("id"), "records"]
            case .companies: ["companies"]
            case .company(let id): ["companies", id.component("id")]
            case .companyAccounts(let id): ["companies", id.component("id"), "accounts"]
            case .companyComplaints(let id): ["companies", id.component("id"), "complaints"]
            case .companyContracts(let id): ["companies", id.component("id"), "contracts"]
            case .companyInspections(let id): ["companies", id.component("id"), "inspections"]
            case .companyStaff(let id): ["companies", id.component("id"), "staff"]
            case .companyStaffEnd(let id, let staff): ["companies", id.component("id"), "staff", staff.component("staff"), "end"]
            case .companySurveys(let id): ["companies", id.component("id"), "surveys"]
            case .complaintAnswers(let id): ["complaints", id.component("id"), "answers"]
            case .compound(let id): ["compounds", id.component("id")]
            case .compoundMeasure(let id, let measure): ["compounds", id.component("id"), "measures", measure.component("measure")]
            case .milestoneDone(let id): ["milestones", id.component("id"), "done"]
            case .myCompany: ["my-company"]
            case .myCompound: ["my-compound"]
            case .project(let id): ["projects", id.component("id")]
            case .projectMilestones(let id): ["projects", id.component("id"), "milestones"]
            case .rectificationAnswers(let id): ["rectifications", id.component("id"), "answers"]
            case .rectificationClose(let id): ["rectifications", id.component("id"), "close"]
            case .shops: ["shops"]
            case .shop(let id): ["shops", id.component("id")]
            case .shopInspections(let id): ["shops", id.component("id"), "inspections"]
            case .shopPledges(let id): ["shops", id.component("id"), "pledges"]
            }
        }
    }

    package enum Registry: Sendable {
        case index
        case aidProgramme(_ id: Parameter<UUID>)
        case compounds
        case compound(_ id: Parameter<UUID>)
        case corrections
        case correction(_ id: Parameter<UUID>)
        case household(_ id: Parameter<HouseholdID>)
        case householdMembers(_ id: Parameter<HouseholdID>)
        case identityHolds
        case identityHold(_ id: Parameter<UUID>)
        case `import`
        case importConfirm
        case importTemplate(_ kind: Parameter<String>)
        case node(_ code: Parameter<String>)
        case nodeExport(_ code: Parameter<String>)
        case nodeNewHousehold(_ code: Parameter<String>)
        case person(_ id: Parameter<PersonID>)
        case personAid(_ id: Parameter<PersonID>)
        case personDeparture(_ id: Parameter<PersonID>)
        case personHelpRequests(_ id: Parameter<PersonID>)
        case personReveal(_ id: Parameter<PersonID>)
        case personTags(_ id: Parameter<PersonID>)
        case personTagEnd(_ id: Parameter<PersonID>, _ assignment: Parameter<UUID>)
        case search
        case smartGroups
        case smartGroup(_ id: Parameter<UUID>)
        case smartGroupExport(_ id: Parameter<UUID>)
        case smartGroupsList
        case tags
        package var components: [PathComponent] {
            switch self {
            case .index: []
            case .aidProgramme(let id): ["aid-programmes", id.component("id")]
            case .compounds: ["compounds"]
            case .compound(let id): ["compounds", id.component("id")]
            case .corrections: ["corrections"]
            case .correction(let id): ["corrections", id.component("id")]
            case .household(let id): ["households", id.component("id")]
            case .householdMembers(let id): ["households", id.component("id"), "members"]
            case .identityHolds: ["identity-holds"]
            case .identityHold(let id): ["identity-holds", id.component("id")]
            case .import: ["import"]
            case .importConfirm: ["import", "confirm"]
            case .importTemplate(let kind): ["import", "template", kind.component("kind")]
            case .node(let code): ["nodes", code.component("code")]
            case .nodeExport(let code): ["nodes", code.component("code"), "export"]
            case .nodeNewHousehold(let code): ["nodes", code.component("code"), "new-household"]
            case .person(let id): ["persons", id.component("id")]
            case .personAid(let id): ["persons", id.component("id"), "aid"]
            case .personDeparture(let id): ["persons", id.component("id"), "departure"]
            case .personHelpRequests(let id): ["persons", id.component("id"), "help-requests"]
            case .personReveal(let id): ["persons", id.component("id"), "reveal"]
            case .personTags(let id): ["persons", id.component("id"), "tags"]
            case .personTagEnd(let id, let assignment): ["persons", id.component("id"), "tags", assignment.component("assignment"), "end"]
            case .search: ["search"]
            case .smartGroups: ["smart-groups"]
            case .smartGroup(let id): ["smart-groups", id.component("id")]
            case .smartGroupExport(let id): ["smart-groups", id.component("id"), "export"]
            case .smartGroupsList: ["smart-groups", "list"]
            case .tags: ["tags"]
            }
        }
    }

    package enum Services: Sendable {
        case index
        case activity(_ id: Parameter<UUID>)
        case activityCheckIn(_ id: Parameter<UUID>)
        case activitySignup(_ id: Parameter<UUID>)
        case bookings
        case bookingAction(_ id: Parameter<UUID>, _ action: Parameter<String>)
        case campaign(_ id: Parameter<UUID>)
        case campaignCheckin(_ id: Parameter<UUID>)
        case campaignEnrol(_ id: Parameter<UUID>)
        case campaignEntries(_ id: Parameter<UUID>)
        case campaignEntriesExport(_ id: Parameter<UUID>)
        case campaignRemind(_ id: Parameter<UUID>)
        case campaignReserve(_ id: Parameter<UUID>)
        case campaignRoster(_ id: Parameter<UUID>)
        case ledger
        case ledgerAwards
        case ledgerPeople
        case ledgerPerson(_ username: Parameter<String>)
        case ledgerRedemptions
        case ledgerReverse(_ id: Parameter<UUID>)
        case manage
        case manageSection(_ what: Parameter<String>)
        case resource(_ id: Parameter<UUID>)
        case resourceGenerate(_ id: Parameter<UUID>)
        case resourceWeek(_ id: Parameter<UUID>)
        case rewardRedeem(_ id: Parameter<UUID>)
        case slotAction(_ id: Parameter<UUID>, _ action: Parameter<String>)
        case team(_ id: Parameter<UUID>)
        case teamLeave(_ id: Parameter<UUID>, _ username: Parameter<String>)
        case teamMembers(_ id: Parameter<UUID>)
        package var components: [PathComponent] {
            switch self {
            case .index: []
            case .activity(let id): ["activities", id.component("id")]
            case .activityCheckIn(let id): ["activities", id.component("id"), "check-in"]
            case .activitySignup(let id): ["activities", id.component("id"), "signup"]
            case .bookings: ["bookings"]
            case .bookingAction(let id, let action): ["bookings", id.component("id"), action.component("action")]
            case .campaign(let id): ["campaigns", id.component("id")]
            case .campaignRemind(let id): ["campaigns", id.component("id"), "remind"]
            case .campaignCheckin(let id): ["campaigns", id.component("id"), "checkin"]
            case .campaignEnrol(let id): ["campaigns", id.component("id"), "enrol"]
            case .campaignEntries(let id): ["campaigns", id.component("id"), "entries"]
            case .campaignEntriesExport(let id): ["campaigns", id.component("id"), "entries-export"]
            case .campaignReserve(let id): ["campaigns", id.component("id"), "reserve"]
            case .campaignRoster(let id): ["campaigns", id.component("id"), "roster"]
            case .ledger: ["ledger"]
            case .ledgerAwards: ["ledger", "awards"]
            case .ledgerPeople: ["ledger", "people"]
            case .ledgerPerson(let username): ["ledger", "people", username.component("username")]
            case .ledgerRedemptions: ["ledger", "redemptions"]
            case .ledgerReverse(let id): ["ledger", "transfers", id.component("id"), "reverse"]
            case .manage: ["manage"]
            case .manageSection(let what): ["manage", what.component("what")]
            case .resource(let id): ["resources", id.component("id")]
            case .resourceGenerate(let id): ["resources", id.component("id"), "generate"]
            case .resourceWeek(let id): ["resources", id.component("id"), "week"]
            case .rewardRedeem(let id): ["rewards", id.component("id"), "redeem"]
            case .slotAction(let id, let action): ["slots", id.component("id"), action.component("action")]
            case .team(let id): ["teams", id.component("id")]
            case .teamLeave(let id, let username): ["teams", id.component("id"), "members", username.component("username"), "leave"]
            case .teamMembers(let id): ["teams", id.component("id"), "members"]
            }
        }
    }

    /// Getting residents on: invitation letters by building group.
    package enum Residents: Sendable {
        case accountReset(_ username: Parameter<String>)
        case desk
        case invitations
        case invitationRevoke(_ id: Parameter<UUID>)
        package var components: [PathComponent] {
            switch self {
            case .accountReset(let username): ["accounts", username.component("username"), "reset-password"]
            case .desk: ["desk"]
            case .invitations: ["invitations"]
            case .invitationRevoke(let id): ["invitations", id.component("id"), "revoke"]
            }
        }
    }

    package enum Staff: Sendable {
        case index
        case attendance
        case rotations
        case trainings
        case training(_ id: Parameter<UUID>)
        case trainingAttendance(_ id: Parameter<UUID>)
        package var components: [PathComponent] {
            switch self {
            case .index: []
            case .attendance: ["attendance"]
            case .rotations: ["rotations"]
            case .trainings: ["trainings"]
            case .training(let id): ["trainings", id.component("id")]
            case .trainingAttendance(let id): ["trainings", id.component("id"), "attendance"]
            }
        }
    }

    /// A person's notifications (消息) and, for staff, the phone outbox's troubled messages.
    package enum Inbox: Sendable {
        case index
        case open(_ id: Parameter<UUID>)
        case outbox
        case outboxRetry(_ id: Parameter<UUID>)
        case read
        package var components: [PathComponent] {
            switch self {
            case .index: []
            case .open(let id): [id.component("id"), "open"]
            case .outbox: ["outbox"]
            case .outboxRetry(let id): ["outbox", id.component("id"), "retry"]
            case .read: ["read"]
            }
        }
    }

    package enum Visits: Sendable {
        case index
        case booking
        case bookingAccept(_ id: Parameter<UUID>)
        case bookingCancel(_ id: Parameter<UUID>)
        case bookingConfirm(_ id: Parameter<UUID>)
        case bookingPropose(_ id: Parameter<UUID>)
        case compliance
        case new
        case overdue
        case record(_ id: Parameter<UUID>)
        case resident(_ username: Parameter<String>)
        case residents
        case settings
        case settingsCategory(_ code: Parameter<String>)
        case settingsPosting(_ username: Parameter<String>)
        case settingsQuota(_ role: Parameter<String>)
        case slots
        package var components: [PathComponent] {
            switch self {
            case .index: []
            case .booking: ["booking"]
            case .bookingAccept(let id): ["bookings", id.component("id"), "accept"]
            case .bookingCancel(let id): ["bookings", id.component("id"), "cancel"]
            case .bookingConfirm(let id): ["bookings", id.component("id"), "confirm"]
            case .bookingPropose(let id): ["bookings", id.component("id"), "propose"]
            case .compliance: ["compliance"]
            case .new: ["new"]
            case .overdue: ["overdue"]
            case .record(let id): ["records", id.component("id")]
            case .resident(let username): ["residents", username.component("username")]
            case .residents: ["residents"]
            case .settings: ["settings"]
            case .settingsCategory(let code): ["settings", "categories", code.component("code")]
            case .settingsPosting(let username): ["settings", "postings", username.component("username")]
            case .settingsQuota(let role): ["settings", "quotas", role.component("role")]
            case .slots: ["slots"]
            }
        }
    }

    package enum Voting: Sendable {
        case index
        case ballot(_ id: Parameter<BallotID>)
        case ballotClose(_ id: Parameter<BallotID>)
        case ballotEnter(_ id: Parameter<BallotID>)
        case ballotOpen(_ id: Parameter<BallotID>)
        case ballotVote(_ id: Parameter<BallotID>)
        case newBallot
        case owners
        case bindOwner
        case newPoll
        case poll(_ id: Parameter<UUID>)
        case pollClose(_ id: Parameter<UUID>)
        case pollVote(_ id: Parameter<UUID>)
        case topics
        case topic(_ id: Parameter<UUID>)
        case topicComments(_ id: Parameter<UUID>)
        case topicCommentModerate(_ id: Parameter<UUID>, _ comment: Parameter<UUID>)
        case topicDecision(_ id: Parameter<UUID>)
        case topicLink(_ id: Parameter<UUID>)
        case topicMeetings(_ id: Parameter<UUID>)
        case topicSupport(_ id: Parameter<UUID>)
        package var components: [PathComponent] {
            switch self {
            case .index: []
            case .ballot(let id): ["ballots", id.component("id")]
            case .ballotClose(let id): ["ballots", id.component("id"), "close"]
            case .ballotEnter(let id): ["ballots", id.component("id"), "enter"]
            case .ballotOpen(let id): ["ballots", id.component("id"), "open"]
            case .ballotVote(let id): ["ballots", id.component("id"), "vote"]
            case .newBallot: ["ballots", "new"]
            case .owners: ["owners"]
            case .bindOwner: ["owners", "bind"]
            case .newPoll: ["polls", "new"]
            case .poll(let id): ["polls", id.component("id")]
            case .pollClose(let id): ["polls", id.component("id"), "close"]
            case .pollVote(let id): ["polls", id.component("id"), "vote"]
            case .topics: ["topics"]
            case .topic(let id): ["topics", id.component("id")]
            case .topicComments(let id): ["topics", id.component("id"), "comments"]
            case .topicCommentModerate(let id, let comment): ["topics", id.component("id"), "comments", comment.component("comment"), "moderate"]
            case .topicDecision(let id): ["topics", id.component("id"), "decision"]
            case .topicLink(let id): ["topics", id.component("id"), "link"]
            case .topicMeetings(let id): ["topics", id.component("id"), "meetings"]
            case .topicSupport(let id): ["topics", id.component("id"), "support"]
            }
        }
    }
}

/// A value that can stand in a path segment.
package protocol PathSegment: Sendable {
    var pathSegment: String { get }
}

extension UUID: PathSegment {
    package var pathSegment: String { uuidString }
}

extension String: PathSegment {
    package var pathSegment: String { self }
}

extension RoutesBuilder {
    /// Registers a page's GET handler at its `SiteURL`.
    @discardableResult
    package func get<Response: AsyncResponseEncodable>(
        _ url: SiteURL, use closure: @escaping @Sendable (Request) async throws -> Response
    ) -> Route {
        get(url.components, use: closure)
    }

    /// Registers a page's form handler at its `SiteURL`.
    @discardableResult
    package func post<Response: AsyncResponseEncodable>(
        _ url: SiteURL, use closure: @escaping @Sendable (Request) async throws -> Response
    ) -> Route {
        post(url.components, use: closure)
    }
}

extension Request {
    /// A redirect after a form (303 See Other) to a page of the site.
    package func redirect(to url: SiteURL) -> Response {
        redirect(to: url.path, redirectType: .normal)
    }
}
