import Testing

@testable import MinqingDomain

@Suite("Role (角色)")
struct RoleTests {
    @Test(
        "raw values are the stored spellings",
        arguments: [
            (Role.admin, "admin"),
            (.subdistrictStaff, "subdistrict_staff"),
            (.areaCadre, "area_cadre"),
            (.gridWorker, "grid_worker"),
            (.departmentHandler, "department_handler"),
            (.propertyCompany, "property_company"),
            (.ownersCommittee, "owners_committee"),
            (.volunteer, "volunteer"),
            (.resident, "resident")
        ])
    func rawValue(role: Role, raw: String) {
        #expect(role.rawValue == raw)
        #expect(Role(rawValue: raw) == role)
    }

    @Test(
        "isGridStaff: admin, subdistrict staff, area cadre and grid worker only",
        arguments: [
            (Role.admin, true),
            (.subdistrictStaff, true),
            (.areaCadre, true),
            (.gridWorker, true),
            (.departmentHandler, false),
            (.propertyCompany, false),
            (.ownersCommittee, false),
            (.volunteer, false),
            (.resident, false)
        ])
    func isGridStaff(role: Role, expected: Bool) {
        #expect(role.isGridStaff == expected)
    }

    @Test(
        "managesAccounts: admin and subdistrict staff only",
        arguments: [
            (Role.admin, true),
            (.subdistrictStaff, true),
            (.areaCadre, false),
            (.gridWorker, false),
            (.departmentHandler, false),
            (.propertyCompany, false),
            (.ownersCommittee, false),
            (.volunteer, false),
            (.resident, false)
        ])
    func managesAccounts(role: Role, expected: Bool) {
        #expect(role.managesAccounts == expected)
    }

    static let allNine: [Role] = [
        .admin, .subdistrictStaff, .areaCadre, .gridWorker, .departmentHandler,
        .propertyCompany, .ownersCommittee, .volunteer, .resident
    ]

    @Test(
        "assignableRoles: admin all, subdistrict staff all but admin, others none",
        arguments: [
            (Role.admin, RoleTests.allNine),
            (.subdistrictStaff, Array(RoleTests.allNine.dropFirst())),
            (.areaCadre, []),
            (.gridWorker, []),
            (.departmentHandler, []),
            (.propertyCompany, []),
            (.ownersCommittee, []),
            (.volunteer, []),
            (.resident, [])
        ])
    func assignableRoles(role: Role, expected: [Role]) {
        #expect(Set(role.assignableRoles) == Set(expected))
        #expect(role.assignableRoles.count == expected.count) // no duplicates
    }

    @Test(
        "only a role that manages accounts can assign any, and nobody but admin makes admins",
        arguments: Role.allCases)
    func assignConsistency(role: Role) {
        #expect(role.assignableRoles.isEmpty == !role.managesAccounts)
        #expect(role.assignableRoles.contains(.admin) == (role == .admin))
    }

    /// The levels each role may be bound to, written out in full.
    static let everywhere = Set(GridLevel.allCases)
    static let residentialAreaOrBelow: Set<GridLevel> = [.residentialArea, .microGrid, .buildingGroup]
    static let scopes: [Role: Set<GridLevel>] = [
        .admin: everywhere,
        .subdistrictStaff: everywhere,
        .departmentHandler: everywhere,
        .areaCadre: residentialAreaOrBelow,
        .propertyCompany: residentialAreaOrBelow,
        .ownersCommittee: residentialAreaOrBelow,
        .volunteer: residentialAreaOrBelow,
        .gridWorker: [.microGrid, .buildingGroup],
        .resident: [.buildingGroup]
    ]

    @Test("mayBeScoped for every role and level", arguments: Role.allCases, GridLevel.allCases)
    func mayBeScoped(role: Role, level: GridLevel) throws {
        let allowed = try #require(Self.scopes[role])
        #expect(role.mayBeScoped(to: level) == allowed.contains(level), "\(role) at \(level)")
    }

    @Test(
        "named examples of scoping",
        arguments: [
            (Role.resident, GridLevel.buildingGroup, true),
            (.resident, .microGrid, false),
            (.resident, .subdistrict, false),
            (.gridWorker, .microGrid, true),
            (.gridWorker, .buildingGroup, true),
            (.gridWorker, .residentialArea, false),
            (.areaCadre, .residentialArea, true),
            (.areaCadre, .microGrid, true),
            (.areaCadre, .block, false),
            (.areaCadre, .subdistrict, false),
            (.subdistrictStaff, .city, true),
            (.subdistrictStaff, .subdistrict, true),
            (.subdistrictStaff, .buildingGroup, true),
            (.admin, .city, true),
            (.admin, .buildingGroup, true)
        ])
    func scopingExamples(role: Role, level: GridLevel, expected: Bool) {
        #expect(role.mayBeScoped(to: level) == expected)
    }

    @Test("every role has a distinct name in both languages")
    func names() {
        #expect(Set(Role.allCases.map(\.nameZH)).count == 9)
        #expect(Set(Role.allCases.map(\.nameEN)).count == 9)
        #expect(Role.gridWorker.nameZH == "网格员")
    }

    /// The access predicates written out role by role: widening one (say, letting grid workers
    /// reveal numbers) fails here, whatever the code that uses it expects.
    @Test(
        "the access predicates, role by role, as a literal table",
        arguments: [
            (Role.admin, true, true, true, true, true),
            (.subdistrictStaff, true, true, true, true, true),
            (.areaCadre, true, true, true, true, false),
            (.gridWorker, true, false, false, false, false),
            (.departmentHandler, false, false, false, false, false),
            (.propertyCompany, false, false, false, false, false),
            (.ownersCommittee, false, false, false, false, false),
            (.volunteer, false, false, false, false, false),
            (.resident, false, false, false, false, false)
        ])
    func predicates(role: Role, readsRegister: Bool, sensitive: Bool, reveal: Bool, birthDates: Bool, manages: Bool) {
        #expect(role.readsRegister == readsRegister)
        #expect(role.seesSensitiveTags == sensitive)
        #expect(role.mayRevealPersonalNumbers == reveal)
        #expect(role.seesFullBirthDates == birthDates)
        #expect(role.managesAccounts == manages)
    }
}
