import Foundation

/// Where a dwelling's voting area came from (SPC interpretation art. 8: the property register,
/// else the surveyed area, else the contract).
public enum VotingAreaSource: String, Sendable, Hashable, Codable, CaseIterable {
    /// 不动产登记簿
    case register
    /// 测绘面积
    case surveyed
    /// 买卖合同
    case contract

    public var nameZH: String {
        switch self {
        case .register: "不动产登记簿"
        case .surveyed: "测绘面积"
        case .contract: "合同面积"
        }
    }

    public var nameEN: String {
        switch self {
        case .register: "property register"
        case .surveyed: "survey"
        case .contract: "contract"
        }
    }
}

/// One dwelling (专有部分) as the register holds it, the input of an electorate snapshot.
public struct ElectorateDwelling: Sendable, Hashable {
    /// One owner of the dwelling.
    public struct Owner: Sendable, Hashable {
        public let id: UUID
        public let kind: OwnerKind
        public init(id: UUID, kind: OwnerKind) {
            self.id = id
            self.kind = kind
        }
    }

    public let id: UUID
    public let areaRegisterCM2: Int64?
    public let areaSurveyedCM2: Int64?
    public let areaContractCM2: Int64?
    /// 开发商持有
    public let developerHeld: Bool
    /// 未售出
    public let unsold: Bool
    /// 已售未交付
    public let undelivered: Bool
    public let owners: [Owner]

    public init(
        id: UUID, areaRegisterCM2: Int64?, areaSurveyedCM2: Int64?, areaContractCM2: Int64?,
        developerHeld: Bool = false, unsold: Bool = false, undelivered: Bool = false, owners: [Owner]
    ) {
        self.id = id
        self.areaRegisterCM2 = areaRegisterCM2
        self.areaSurveyedCM2 = areaSurveyedCM2
        self.areaContractCM2 = areaContractCM2
        self.developerHeld = developerHeld
        self.unsold = unsold
        self.undelivered = undelivered
        self.owners = owners
    }

    /// The voting area: the register's, else the survey's, else the contract's (a zero or
    /// negative figure counts as absent). Nil when none is known.
    public var votingArea: (cm2: Int64, source: VotingAreaSource)? {
        if let a = areaRegisterCM2, a > 0 { return (a, .register) }
        if let a = areaSurveyedCM2, a > 0 { return (a, .surveyed) }
        if let a = areaContractCM2, a > 0 { return (a, .contract) }
        return nil
    }

    /// Whether the developer votes for this unit: unsold, sold but not delivered, held by the
    /// developer, or owned by an owner of kind developer (SPC interpretation art. 9). An
    /// undelivered unit is the developer's even when a buyer is already on the register.
    public var countsForDeveloper: Bool {
        unsold || undelivered || developerHeld || owners.contains { $0.kind == .developer }
    }
}

/// One voting owner (表决权人) of an electorate: one head, and the area of all their dwellings in
/// the ballot's scope.
public struct Elector: Sendable, Hashable, Codable {

    /// The JSON keys: snake_case like the rest of the API (docs/api-conventions.md).
    public enum CodingKeys: String, CodingKey {
        case key
        case ownerIDs = "owner_ids"
        case isDeveloper = "is_developer"
        case dwellingIDs = "dwelling_ids"
        case areaCM2 = "area_cm2"
        case heads
    }
    /// `developer`, or the sorted owner ids joined by `+`; stable across snapshots of the same
    /// register.
    public let key: String
    /// The owners who may cast this vote (co-owners decide among themselves who does).
    public let ownerIDs: [UUID]
    public let isDeveloper: Bool
    public let dwellingIDs: [UUID]
    /// Sum of the dwellings' voting areas.
    public let areaCM2: Int64
    /// Always 1: the SPC's headcount rules fold every case into one person.
    public let heads: Int64

    public init(key: String, ownerIDs: [UUID], isDeveloper: Bool, dwellingIDs: [UUID], areaCM2: Int64, heads: Int64 = 1) {
        self.key = key
        self.ownerIDs = ownerIDs
        self.isDeveloper = isDeveloper
        self.dwellingIDs = dwellingIDs
        self.areaCM2 = areaCM2
        self.heads = heads
    }
}

/// The electorate of an owners' ballot, taken once when it opens (表决权人名册).
///
/// Headcount by SPC interpretation art. 9: one exclusive unit is one person; one buyer of several
/// units is one person; all units the developer has not sold or not delivered together are one
/// person. Co-owners of a unit are one person for it (they vote through one of them). A "buyer"
/// is the exact set of owners on the register: Zhang alone for 101 and 102 is one person; Zhang
/// and Li together for 201 is another, since Zhang alone did not buy it.
public struct OwnersElectorate: Sendable, Hashable {
    public let electors: [Elector]
    /// Where each dwelling's area came from, by dwelling id.
    public let areaSources: [UUID: VotingAreaSource]
    /// Each dwelling's voting area (cm²), by dwelling id.
    public let dwellingAreasCM2: [UUID: Int64]

    /// Total exclusive area (cm²) and total headcount: the quorum's denominators.
    public var totalAreaCM2: Int64 { electors.reduce(0) { $0 + $1.areaCM2 } }
    public var totalHeads: Int64 { electors.reduce(0) { $0 + $1.heads } }

    /// Why a snapshot could not be taken; the register must be put right first.
    public enum Error: Swift.Error, Sendable, Equatable, FieldErrorConvertible {
        /// No dwellings in the scope.
        case empty
        /// Dwellings with no register, survey or contract area.
        case dwellingsWithoutArea([UUID])
        /// Dwellings with no owner on the register that are not the developer's either.
        case dwellingsWithoutOwner([UUID])

        public var fieldError: FieldError {
            switch self {
            case .empty:
                FieldError(
                    field: "scope", messageZH: "表决范围内没有专有部分（房屋）",
                    messageEN: "There are no dwellings in the ballot's scope.")
            case .dwellingsWithoutArea(let ids):
                FieldError(
                    field: "scope", messageZH: "表决范围内有 \(ids.count) 套房屋没有登记、测绘或合同面积，请先补正登记",
                    messageEN: "\(ids.count) dwellings in scope have no register, survey or contract area; correct the register first.")
            case .dwellingsWithoutOwner(let ids):
                FieldError(
                    field: "scope", messageZH: "表决范围内有 \(ids.count) 套房屋没有登记业主，请先补正登记",
                    messageEN: "\(ids.count) dwellings in scope have no owner on the register; correct the register first.")
            }
        }
    }

    public static let developerKey = "developer"

    /// Takes the snapshot. Electors come out ordered by key, their owner and dwelling ids sorted,
    /// so the same register gives the same electorate.
    public init(dwellings: [ElectorateDwelling]) throws(OwnersElectorate.Error) {
        guard !dwellings.isEmpty else { throw .empty }
        let withoutArea = dwellings.filter { $0.votingArea == nil }.map(\.id)
        guard withoutArea.isEmpty else { throw .dwellingsWithoutArea(withoutArea.sorted { $0.uuidString < $1.uuidString }) }
        let withoutOwner = dwellings.filter { $0.owners.isEmpty && !$0.countsForDeveloper }.map(\.id)
        guard withoutOwner.isEmpty else { throw .dwellingsWithoutOwner(withoutOwner.sorted { $0.uuidString < $1.uuidString }) }

        struct Group { var owners: Set<UUID> = []; var dwellings: [UUID] = []; var area: Int64 = 0 }
        var groups: [String: Group] = [:]
        var sources: [UUID: VotingAreaSource] = [:]
        var areas: [UUID: Int64] = [:]
        for dwelling in dwellings {
            guard let area = dwelling.votingArea else { continue }
            sources[dwelling.id] = area.source
            areas[dwelling.id] = area.cm2
            let key: String
            let owners: [UUID]
            if dwelling.countsForDeveloper {
                key = Self.developerKey
                owners = dwelling.owners.filter { $0.kind == .developer }.map(\.id)
            } else {
                owners = Array(Set(dwelling.owners.map(\.id))).sorted { $0.uuidString < $1.uuidString }
                key = owners.map { $0.uuidString.lowercased() }.joined(separator: "+")
            }
            groups[key, default: Group()].owners.formUnion(owners)
            groups[key, default: Group()].dwellings.append(dwelling.id)
            groups[key, default: Group()].area += area.cm2
        }
        electors = groups.sorted { $0.key < $1.key }.map { key, group in
            Elector(
                key: key, ownerIDs: group.owners.sorted { $0.uuidString < $1.uuidString },
                isDeveloper: key == Self.developerKey,
                dwellingIDs: group.dwellings.sorted { $0.uuidString < $1.uuidString },
                areaCM2: group.area, heads: 1)
        }
        areaSources = sources
        dwellingAreasCM2 = areas
    }
}
