import Foundation
import MinqingDomain
import Testing
import VaporTesting

@testable import MinqingServer

/// The access-matrix rows of the 组织力工程 page forms added for issue 21 (posts, ending a
/// membership, 亮身份, building-group leaders, the export, the co-building forms). Each uses its
/// own fixtures (`wend`, `widentity`, `wcommitment`), so the API rows of the same writes cannot
/// have used them up. Joined into `organisationProbes`.
extension AccessMatrixTests {
    static let organisationPageWriteProbes: [Probe] = [
        Probe(
            method: .POST, route: "/organisations/:id/posts", web: true,
            request: { r, w, n, f in ("/organisations/\(orgID(f, "party", r, w))/posts", ["kind": "model_post", "name": "网页示范岗\(n)"]) },
            expect: "303|404 303|404 303|404 403 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .POST, route: "/organisations/:id/members/:member/end", web: true,
            request: { r, w, _, f in ("/organisations/\(orgID(f, "party", r, w))/members/\(orgID(f, "member.wend", r, w))/end", [:]) },
            expect: "303|404 303|404 303|404 403 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .POST, route: "/organisations/:id/members/:member/identity", web: true,
            request: { r, w, _, f in
                ("/organisations/\(orgID(f, "party", r, w))/members/\(orgID(f, "member.widentity", r, w))/identity", ["shows": "true"])
            },
            expect: "303|404 303|404 303|404 403 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .GET, route: "/organisations/building-group-leaders", web: true,
            request: { _, _, _, _ in ("/organisations/building-group-leaders", nil) },
            expect: "200 200 200 200 403 403 403 403 403", anonymous: 303),
        Probe(
            method: .POST, route: "/organisations/building-group-leaders", web: true,
            request: { r, w, _, f in
                ("/organisations/building-group-leaders", ["person_id": f.persons[w == .inside ? r.homeIn : r.homeOut]!.uuidString])
            },
            expect: "303|404 303|404 303|404 303|404 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .POST, route: "/organisations/export", web: true,
            request: { r, w, _, _ in ("/organisations/export", ["node": orgNode(r, w)]) },
            expect: "200|404 200|404 200|404 200|404 403 403 403 403 403", anonymous: 403),
        // A unit is found across its subdistrict: the area cadre's outside unit is in reach (as on the
        // unit's page); its writes go to the cadre's own community.
        Probe(
            method: .POST, route: "/cobuilding/units/:id/items", web: true,
            request: { r, w, n, f in ("/cobuilding/units/\(orgID(f, "unit", r, w))/items", ["list_kind": "problem", "title": "网页停车难\(n)"]) },
            expect: "303|404 303|404 303 403 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .POST, route: "/cobuilding/units/:id/contracts", web: true,
            request: { r, w, n, f in
                (
                    "/cobuilding/units/\(orgID(f, "unit", r, w))/contracts",
                    ["title": "网页共建契约\(n)", "side_0": "unit", "content_0": "开放会议室"]
                )
            },
            expect: "303|404 303|404 303 403 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .POST, route: "/cobuilding/commitments/:id/check", web: true,
            request: { r, w, _, f in ("/cobuilding/commitments/\(orgID(f, "wcommitment", r, w))/check", ["delivered": "true"]) },
            expect: "303|404 303|404 303|404 403 403 403 403 403 403", anonymous: 403),
        Probe(
            method: .POST, route: "/cobuilding/units/:id/points", web: true,
            request: { r, w, _, f in ("/cobuilding/units/\(orgID(f, "unit", r, w))/points", ["rule": "project_completed", "reason": "网页矩阵"]) },
            expect: "303|404 303|404 303 403 403 403 403 403 403", anonymous: 403)
    ]
}
