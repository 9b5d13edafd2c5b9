/// The roles of the platform (角色). A role says what kind of work an account does; the grid
/// node an account is bound to says where.
public enum Role: String, CaseIterable, Sendable, Codable {
    /// 系统管理员
    case admin
    /// 街道干部 (subdistrict staff, including organ cadres 机关干部)
    case subdistrictStaff = "subdistrict_staff"
    /// 居民区书记 / 社工 (residential-area cadre or social worker)
    case areaCadre = "area_cadre"
    /// 网格员
    case gridWorker = "grid_worker"
    /// 职能部门处置人员 (城管, 住建, 公安, 市场监管 …)
    case departmentHandler = "department_handler"
    /// 物业公司
    case propertyCompany = "property_company"
    /// 业主委员会
    case ownersCommittee = "owners_committee"
    /// 志愿者
    case volunteer
    /// 居民
    case resident

    public var nameZH: String {
        switch self {
        case .admin: "系统管理员"
        case .subdistrictStaff: "街道干部"
        case .areaCadre: "居民区书记/社工"
        case .gridWorker: "网格员"
        case .departmentHandler: "职能部门"
        case .propertyCompany: "物业公司"
        case .ownersCommittee: "业主委员会"
        case .volunteer: "志愿者"
        case .resident: "居民"
        }
    }

    public var nameEN: String {
        switch self {
        case .admin: "Administrator"
        case .subdistrictStaff: "Subdistrict staff"
        case .areaCadre: "Residential-area cadre / social worker"
        case .gridWorker: "Grid worker"
        case .departmentHandler: "Department handler"
        case .propertyCompany: "Property company"
        case .ownersCommittee: "Owners' committee"
        case .volunteer: "Volunteer"
        case .resident: "Resident"
        }
    }

    /// Staff of the subdistrict's own line: they see residents' data in their subtree.
    public var isGridStaff: Bool {
        switch self {
        case .admin, .subdistrictStaff, .areaCadre, .gridWorker: true
        default: false
        }
    }

    /// May create and manage accounts (within their own subtree).
    public var managesAccounts: Bool { self == .admin || self == .subdistrictStaff }

    /// Roles an account of this role may give to a new account. Only an administrator makes
    /// administrators; nobody hands out more than they hold.
    public var assignableRoles: [Role] {
        switch self {
        case .admin: Role.allCases
        case .subdistrictStaff: Role.allCases.filter { $0 != .admin }
        default: []
        }
    }

    /// The highest grid level an account of this role may be bound to, or nil if any.
    /// A resident is bound to the building group they live in; a grid worker to a micro-grid
    /// or below; a residential-area cadre to a residential area or below.
    public var loftiestScope: GridLevel? {
        switch self {
        case .admin, .subdistrictStaff, .departmentHandler: nil
        case .areaCadre, .propertyCompany, .ownersCommittee, .volunteer: .residentialArea
        case .gridWorker: .microGrid
        case .resident: .buildingGroup
        }
    }

    /// Whether an account of this role may be bound to a node of `level`.
    public func mayBeScoped(to level: GridLevel) -> Bool {
        guard let top = loftiestScope else { return true }
        return level >= top
    }
}

extension Role {
    /// May read the register (households, persons, their tags) of their subtree.
    public var readsRegister: Bool { isGridStaff }

    /// May see tags marked sensitive (health, religion, specific identities, minors: PIPL art. 28).
    /// Grid workers do routine visits and see the non-sensitive tags only (minimum necessary).
    public var seesSensitiveTags: Bool {
        self == .admin || self == .subdistrictStaff || self == .areaCadre
    }

    /// May show a plain ID or phone number (an audited action with a stated purpose).
    public var mayRevealPersonalNumbers: Bool {
        self == .admin || self == .subdistrictStaff || self == .areaCadre
    }

    /// Sees whole birth dates in the register; every other role sees the birth year only. A birth
    /// date is digits 7–14 of the ID number, so it is given only to roles that may reveal the
    /// number anyway.
    public var seesFullBirthDates: Bool { mayRevealPersonalNumbers }
}
