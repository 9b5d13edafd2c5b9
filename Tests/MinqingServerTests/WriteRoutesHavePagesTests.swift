import Foundation
import Testing
import VaporTesting

@testable import MinqingServer

/// Every write the API offers that a person does by hand has a page that does it through the
/// same service (issue 21). Each API write of the OpenAPI document is either mapped to the page
/// route that does the same (and that route must be registered), or on the short list of
/// machine-only routes (docs/api-conventions.md, "Writes and their pages").
@Suite("Every API write has a page")
struct WriteRoutesHavePagesTests {
    /// API write → the page write that does the same.
    static let pages: [String: String] = [
        "PUT /api/v1/me/password": "POST /account/password",
        "POST /api/v1/me/second-factor": "POST /account/second-factor/start",
        "POST /api/v1/me/second-factor/confirm": "POST /account/second-factor/confirm",
        "POST /api/v1/me/second-factor/recovery-codes": "POST /account/second-factor/recovery-codes",
        "POST /api/v1/me/second-factor/disable": "POST /account/second-factor/disable",
        "POST /api/v1/accounts/{username}/second-factor/reset": "POST /admin/accounts/:username/second-factor/reset",
        "POST /api/v1/accounts": "POST /admin/accounts",
        "PATCH /api/v1/accounts/{username}": "POST /admin/accounts/:username/disabled",
        "POST /api/v1/audit/export": "POST /admin/audit/export",
        "POST /api/v1/me/corrections": "POST /account/data/corrections",
        "POST /api/v1/me/display": "POST /account/display",
        "POST /api/v1/me/notifications/read": "POST /notifications/read",
        "POST /api/v1/services/campaigns/{id}/remind": "POST /services/campaigns/:id/remind",
        "POST /api/v1/me/notification-choices": "POST /account/notifications",
        "POST /api/v1/notifications/outbox/{id}/retry": "POST /notifications/outbox/:id/retry",
        "POST /api/v1/residents/signup": "POST /signup",
        "POST /api/v1/auth/password-code": "POST /password/forgot",
        "POST /api/v1/auth/password-reset": "POST /password/reset",
        "POST /api/v1/me/proxies": "POST /account/proxies",
        "POST /api/v1/me/proxies/{id}/end": "POST /account/proxies/:id/end",
        "POST /api/v1/me/household/invitations": "POST /account/household/invite",
        "POST /api/v1/residents/desk-signups": "POST /residents/desk",
        "POST /api/v1/residents/accounts/{username}/reset-password": "POST /residents/accounts/:username/reset-password",
        "POST /api/v1/residents/invitations": "POST /residents/invitations",
        "POST /api/v1/residents/invitations/{id}/revoke": "POST /residents/invitations/:id/revoke",
        "POST /api/v1/registry/corrections/{id}": "POST /registry/corrections/:id",
        "POST /api/v1/registry/persons/{id}/reveal": "POST /registry/persons/:id/reveal",
        "POST /api/v1/registry/smart-groups": "POST /registry/smart-groups",
        "POST /api/v1/registry/smart-groups/preview": "POST /registry/smart-groups/list",
        "POST /api/v1/registry/smart-groups/{id}/members": "POST /registry/smart-groups/:id",
        "POST /api/v1/registry/smart-groups/{id}/export": "POST /registry/smart-groups/:id/export",
        "POST /api/v1/registry/persons/{id}/tags": "POST /registry/persons/:id/tags",
        "POST /api/v1/registry/persons/{id}/tags/{assignment}/end": "POST /registry/persons/:id/tags/:assignment/end",
        "POST /api/v1/registry/tags": "POST /registry/tags",
        "POST /api/v1/registry/import/persons": "POST /registry/import",
        "POST /api/v1/registry/import/tags": "POST /registry/import",
        "POST /api/v1/registry/import/households": "POST /registry/import",
        "POST /api/v1/registry/import/dwellings": "POST /registry/import",
        "PUT /api/v1/registry/aid-programmes/{id}": "POST /registry/aid-programmes/:id",
        "POST /api/v1/registry/identity-holds/{id}/resolve": "POST /registry/identity-holds/:id",
        "POST /api/v1/registry/households": "POST /registry/nodes/:code/new-household",
        "POST /api/v1/registry/households/{id}/members": "POST /registry/households/:id/members",
        "POST /api/v1/registry/persons/{id}/departure": "POST /registry/persons/:id/departure",
        "POST /api/v1/registry/persons/{id}/help-requests": "POST /registry/persons/:id/help-requests",
        "POST /api/v1/registry/persons/{id}/aid": "POST /registry/persons/:id/aid",
        "POST /api/v1/registry/export/persons": "POST /registry/nodes/:code/export",
        // The search page looks a whole ID number up through the same step (`RegistrySearch.lookUp`).
        "POST /api/v1/registry/persons/lookup": "POST /registry/search",
        "POST /api/v1/registry/search": "POST /registry/search",
        "POST /api/v1/visits": "POST /visits/new",
        "POST /api/v1/visits/slots": "POST /visits/slots",
        "POST /api/v1/visits/bookings/{id}/confirm": "POST /visits/bookings/:id/confirm",
        "POST /api/v1/visits/bookings/{id}/propose": "POST /visits/bookings/:id/propose",
        "POST /api/v1/visits/bookings/{id}/cancel": "POST /visits/bookings/:id/cancel",
        "POST /api/v1/visits/bookings": "POST /visits/booking",
        "POST /api/v1/visits/bookings/{id}/accept": "POST /visits/bookings/:id/accept",
        "PUT /api/v1/visits/must-visit/categories/{code}": "POST /visits/settings/categories/:code",
        "PUT /api/v1/visits/quotas/{role}": "POST /visits/settings/quotas/:role",
        "PUT /api/v1/visits/postings/{username}": "POST /visits/settings/postings/:username",
        "PUT /api/v1/visits/residents/{username}/household": "POST /visits/residents/:username",
        // The entry form opened from a booking (`/visits/new?booking=…`) calls `BookingService.done`.
        "POST /api/v1/visits/bookings/{id}/done": "POST /visits/new",
        "POST /api/v1/voting/ballots": "POST /voting/ballots/new",
        "POST /api/v1/voting/ballots/{id}/votes": "POST /voting/ballots/:id/vote",
        "POST /api/v1/voting/ballots/{id}/close": "POST /voting/ballots/:id/close",
        "POST /api/v1/voting/ballots/{id}/open": "POST /voting/ballots/:id/open",
        "PUT /api/v1/voting/owner-accounts/{username}": "POST /voting/owners/bind",
        "POST /api/v1/voting/polls/{id}/votes": "POST /voting/polls/:id/vote",
        "POST /api/v1/voting/polls": "POST /voting/polls/new",
        "POST /api/v1/voting/polls/{id}/close": "POST /voting/polls/:id/close",
        "POST /api/v1/voting/topics": "POST /voting/topics",
        "POST /api/v1/voting/topics/{id}/support": "POST /voting/topics/:id/support",
        "POST /api/v1/voting/topics/{id}/comments": "POST /voting/topics/:id/comments",
        "POST /api/v1/voting/topics/{id}/comments/{comment}/moderate": "POST /voting/topics/:id/comments/:comment/moderate",
        "POST /api/v1/voting/topics/{id}/meetings": "POST /voting/topics/:id/meetings",
        "POST /api/v1/voting/topics/{id}/link": "POST /voting/topics/:id/link",
        "POST /api/v1/voting/topics/{id}/decision": "POST /voting/topics/:id/decision",
        "POST /api/v1/cases": "POST /cases/new",
        "POST /api/v1/cases/{id}/actions/{action}": "POST /cases/:id/actions/:action",
        "POST /api/v1/cases/{id}/reports": "POST /cases/:id/report",
        "POST /api/v1/cases/{id}/supervision": "POST /cases/:id/supervise",
        "POST /api/v1/cases/{id}/followups": "POST /cases/:id/followup",
        "POST /api/v1/cases/{id}/category": "POST /cases/:id/category",
        "PUT /api/v1/cases/{id}/project": "POST /cases/:id/project",
        "POST /api/v1/cases/projects": "POST /cases/projects",
        "POST /api/v1/cases/categories": "POST /cases/catalogue/categories",
        "PUT /api/v1/cases/categories/{code}": "POST /cases/catalogue/categories/:code",
        "POST /api/v1/cases/departments": "POST /cases/catalogue/departments",
        "PUT /api/v1/cases/department-accounts/{username}": "POST /cases/catalogue/department-accounts",
        "POST /api/v1/services/resources": "POST /services/manage/:what",
        "POST /api/v1/services/bookings": "POST /services/bookings",
        "POST /api/v1/services/bookings/{id}/{action}": "POST /services/bookings/:id/:action",
        "POST /api/v1/services/campaigns": "POST /services/manage/:what",
        "POST /api/v1/services/campaigns/{id}/reservations": "POST /services/campaigns/:id/reserve",
        "POST /api/v1/services/campaigns/{id}/entries": "POST /services/campaigns/:id/entries",
        "POST /api/v1/services/campaigns/{id}/entries.csv": "POST /services/campaigns/:id/entries-export",
        "POST /api/v1/services/campaigns/{id}/enrol": "POST /services/campaigns/:id/enrol",
        "POST /api/v1/services/campaigns/{id}/checkins": "POST /services/campaigns/:id/checkin",
        "POST /api/v1/services/teams": "POST /services/manage/:what",
        "POST /api/v1/services/rewards": "POST /services/manage/:what",
        "POST /api/v1/services/activities": "POST /services/manage/:what",
        "POST /api/v1/services/activities/{id}/signups": "POST /services/activities/:id/signup",
        "POST /api/v1/services/resources/{id}/slots": "POST /services/resources/:id/generate",
        "POST /api/v1/services/resources/{id}/generate": "POST /services/resources/:id/generate",
        "POST /api/v1/services/slots/{id}/{action}": "POST /services/slots/:id/:action",
        "POST /api/v1/services/campaigns/{id}/roster": "POST /services/campaigns/:id/roster",
        "POST /api/v1/services/ledger/awards": "POST /services/ledger/awards",
        "POST /api/v1/services/ledger/transfers/{id}/reverse": "POST /services/ledger/transfers/:id/reverse",
        "POST /api/v1/services/ledger/redemptions": "POST /services/ledger/redemptions",
        "POST /api/v1/services/teams/{id}/members": "POST /services/teams/:id/members",
        "POST /api/v1/services/teams/{id}/members/{username}/leave": "POST /services/teams/:id/members/:username/leave",
        "POST /api/v1/services/rewards/{id}/redemptions": "POST /services/rewards/:id/redeem",
        "POST /api/v1/services/activities/{id}/check-ins": "POST /services/activities/:id/check-in",
        "POST /api/v1/open311/clients": "POST /admin/open311-clients",
        "POST /api/v1/open311/clients/{id}/revoke": "POST /admin/open311-clients/:id/revoke",
        "POST /api/v1/organisations": "POST /organisations",
        "POST /api/v1/organisations/{id}/changes": "POST /organisations/:id/changes",
        "POST /api/v1/organisations/{id}/members": "POST /organisations/:id/members",
        "POST /api/v1/organisations/{id}/terms": "POST /organisations/:id/terms",
        "POST /api/v1/organisations/export": "POST /organisations/export",
        "POST /api/v1/organisations/posts": "POST /organisations/:id/posts",
        "POST /api/v1/organisations/building-group-leaders": "POST /organisations/building-group-leaders",
        "POST /api/v1/organisations/{id}/members/{member}/end": "POST /organisations/:id/members/:member/end",
        "POST /api/v1/organisations/{id}/members/{member}/identity": "POST /organisations/:id/members/:member/identity",
        "POST /api/v1/cobuilding/items": "POST /cobuilding/units/:id/items",
        "POST /api/v1/cobuilding/contracts": "POST /cobuilding/units/:id/contracts",
        "POST /api/v1/cobuilding/commitments/{id}/check": "POST /cobuilding/commitments/:id/check",
        "POST /api/v1/cobuilding/points": "POST /cobuilding/units/:id/points",
        "POST /api/v1/staff/trainings": "POST /staff/trainings",
        "POST /api/v1/staff/trainings/{id}/attendance": "POST /staff/trainings/:id/attendance",
        "POST /api/v1/staff/rotations": "POST /staff/rotations",
        "POST /api/v1/dual/registrations": "POST /dual/register",
        "POST /api/v1/dual/registrations/{id}/claims": "POST /dual/claims",
        "POST /api/v1/dual/registrations/{id}/service": "POST /dual/service",
        "PUT /api/v1/oversight/company-accounts/{username}": "POST /oversight/companies/:id/accounts",
        "POST /api/v1/oversight/companies/{id}/staff": "POST /oversight/companies/:id/staff",
        "POST /api/v1/oversight/companies/{id}/staff/{staff}/end": "POST /oversight/companies/:id/staff/:staff/end",
        "POST /api/v1/oversight/companies/{id}/contracts": "POST /oversight/companies/:id/contracts",
        "POST /api/v1/oversight/companies/{id}/inspections": "POST /oversight/companies/:id/inspections",
        "POST /api/v1/oversight/companies/{id}/surveys": "POST /oversight/companies/:id/surveys",
        "POST /api/v1/oversight/companies/{id}/complaints": "POST /oversight/companies/:id/complaints",
        "POST /api/v1/oversight/rectifications/{id}/close": "POST /oversight/rectifications/:id/close",
        "POST /api/v1/oversight/companies": "POST /oversight/companies",
        "POST /api/v1/oversight/rectifications/{id}/answers": "POST /oversight/rectifications/:id/answers",
        "POST /api/v1/oversight/complaints/{id}/answers": "POST /oversight/complaints/:id/answers",
        "POST /api/v1/oversight/committees": "POST /oversight/committees",
        "POST /api/v1/oversight/committees/{id}/members": "POST /oversight/committees/:id/members",
        "POST /api/v1/oversight/committees/{id}/records": "POST /oversight/committees/:id/records",
        "POST /api/v1/oversight/committees/{id}/disclosures": "POST /oversight/committees/:id/disclosures",
        "POST /api/v1/oversight/shops": "POST /oversight/shops",
        "POST /api/v1/oversight/shops/{id}/pledges": "POST /oversight/shops/:id/pledges",
        "POST /api/v1/oversight/shops/{id}/inspections": "POST /oversight/shops/:id/inspections",
        "PUT /api/v1/oversight/checklists/{compound}/{measure}": "POST /oversight/compounds/:id/measures/:measure",
        "PATCH /api/v1/oversight/projects/{id}": "POST /oversight/projects/:id",
        "POST /api/v1/oversight/projects/{id}/milestones": "POST /oversight/projects/:id/milestones",
        "POST /api/v1/oversight/milestones/{id}/done": "POST /oversight/milestones/:id/done"
    ]

    /// Writes no person does by hand: the reason is in docs/api-conventions.md.
    static let machineOnly: Set<String> = [
        // A client program's sign-in and sign-out; people sign in on /login.
        "POST /api/v1/auth/token", "DELETE /api/v1/auth/token",
        // Closing temporary branches past their end date: a pass that also runs whenever a manager
        // opens /organisations, for schedulers; nobody has it to do by hand.
        "POST /api/v1/organisations/close-expired"
    ]

    static func registeredPageRoutes(_ app: Application) -> Set<String> {
        Set(
            app.routes.all.map { route in
                "\(route.method.rawValue) /" + route.path.map { $0.description }.joined(separator: "/")
            })
    }

    @Test("each API write of the OpenAPI document has a registered page doing the same, or is machine-only")
    func everyWriteHasAPage() async throws {
        try await withApp { app in
            let writes = Set(
                OpenAPIDocument.operations.filter { ["post", "put", "patch", "delete"].contains($0.method) }
                    .map { "\($0.method.uppercased()) \($0.path)" })
            #expect(writes.count > 100)
            let accounted = Set(Self.pages.keys).union(Self.machineOnly)
            #expect(writes.subtracting(accounted).sorted() == [], "API writes without a page: map them or build one")
            #expect(accounted.subtracting(writes).sorted() == [], "entries for API writes that no longer exist")
            #expect(Set(Self.pages.keys).intersection(Self.machineOnly).sorted() == [], "a route is either machine-only or has a page")
            let registered = Self.registeredPageRoutes(app)
            #expect(Set(Self.pages.values).subtracting(registered).sorted() == [], "mapped page routes that are not registered")
            #expect(Self.pages.values.allSatisfy { !$0.contains("/api/") })
        }
    }
}
