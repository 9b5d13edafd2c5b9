import Fluent
import Foundation
import MinqingDomain
import MinqingServer
import SQLKit

/// The register part of the demo (一居一库): compounds of the six types, buildings, dwellings
/// with owners (several units per owner, developer-held unsold units), ~30,600 households and
/// ~90,000 persons at scale 1 with valid synthetic ID and phone numbers sealed in the vault, the
/// 240-tag catalogue with realistic assignments and some history, help requests, and three years of
/// aid (cash, in kind, services) that bring the register to about 2.2 M records
/// (the seed counts 1.89 M).
/// Deterministic for a seed; written inside the caller's transaction with multi-row INSERTs.
package enum RegistryDemo {
    package struct Counts: Sendable, Equatable {
        var compounds = 0, buildings = 0, dwellings = 0, owners = 0, households = 0, persons = 0
        var tags = 0, tagAssignments = 0, helpRequests = 0, aidRecords = 0
        package var records: Int {
            compounds + buildings + dwellings + owners + households + persons + tags + tagAssignments + helpRequests + aidRecords
        }
    }

    /// Households at scale 1 (Linfen Road: "30,000+ households, ~90,000 people").
    static let householdsAtScaleOne = 30_600
    /// Months of aid history.
    static let aidMonths = 36

    static func load(
        nodes: [NewGridNode], ids: [String: UUID], scale: Double, seed: UInt64, vault: PIIVault,
        today: CivilDate, now: Date, progress: @Sendable (String) -> Void, on db: any Database
    ) async throws -> Counts {
        var counts = Counts()
        var rng = SeededGenerator(seed: seed ^ 0x5EED_0F_7E61)
        let subdistrictID = ids[DemoData.subdistrictCode]

        // 1. Tag catalogue.
        var tagIDs: [String: UUID] = [:]
        var tagInserter = BulkInserter(
            table: "tags", columns: ["id", "code", "name_zh", "name_en", "kind", "parent_id", "sensitive", "sort_order", "created_at"])
        for (index, tag) in TagCatalogue.tags.enumerated() {
            let id = UUID()
            tagIDs[tag.code] = id
            try await tagInserter.add(
                [
                    SQLBind(id), SQLBind(tag.code), SQLBind(tag.nameZH), SQLBind(tag.nameEN), SQLBind(tag.kind.rawValue),
                    bindOrNull(tag.parentCode.flatMap { tagIDs[$0] }), SQLBind(tag.sensitive), SQLBind(index), SQLBind(now)
                ], on: db)
        }
        try await tagInserter.flush(on: db)
        counts.tags = tagInserter.written
        func tagCode(endingWith suffix: String) -> String? { TagCatalogue.tags.first { $0.code.hasSuffix(suffix) }?.code }

        // 2. Compounds and buildings: each residential area split into 2–3 compounds by micro-grid.
        struct Place {
            var buildingID: UUID; var compoundID: UUID; var nodeID: UUID; var name: String; var floors: Int; var type: CompoundType; var rooms = 0
        }
        var places: [Place] = []
        var compoundInserter = BulkInserter(
            table: "compounds", columns: ["id", "subdistrict_id", "grid_node_id", "code", "name", "compound_type", "address", "created_at"])
        var buildingInserter = BulkInserter(
            table: "buildings", columns: ["id", "subdistrict_id", "compound_id", "grid_node_id", "name", "floors", "created_at"])
        let children = Dictionary(grouping: nodes.filter { $0.parentCode != nil }, by: { $0.parentCode! })
        var compoundIndex = 0
        var developers: [(compound: UUID, developer: UUID)] = [] // in creation order: draws stay deterministic
        for area in nodes where area.level == .residentialArea {
            let grids = children[area.code] ?? []
            let parts = grids.count >= 7 ? 3 : 2
            for part in 0..<parts {
                let slice = grids.enumerated().filter { $0.offset * parts / max(1, grids.count) == part }.map(\.element)
                guard let firstGroup = slice.first.flatMap({ children[$0.code]?.first }) else { continue }
                let compoundID = UUID()
                let type = DemoPopulation.compoundType(forArea: compoundIndex, using: &rng)
                compoundIndex += 1
                let lane = firstGroup.name.replacingOccurrences(of: #"\d+号$"#, with: "", options: .regularExpression)
                try await compoundInserter.add(
                    [
                        SQLBind(compoundID), bindOrNull(subdistrictID), SQLBind(ids[area.code]!),
                        SQLBind("\(area.code)-C\(part + 1)"), SQLBind("\(lane)小区"), SQLBind(type.rawValue),
                        SQLBind("上海市静安区\(lane)"), SQLBind(now)
                    ], on: db)
                for grid in slice {
                    for group in children[grid.code] ?? [] {
                        let floors: Int =
                            switch type {
                            case .commodityHousing: [11, 18, 24][Int(rng.next() % 3)]
                            case .mixedUse: 16
                            default: [5, 6, 6, 7][Int(rng.next() % 4)]
                            }
                        let building = Place(
                            buildingID: UUID(), compoundID: compoundID, nodeID: ids[group.code]!, name: group.name, floors: floors, type: type)
                        places.append(building)
                        try await buildingInserter.add(
                            [
                                SQLBind(building.buildingID), bindOrNull(subdistrictID), SQLBind(compoundID),
                                SQLBind(building.nodeID), SQLBind(group.name), SQLBind(floors), SQLBind(now)
                            ], on: db)
                    }
                }
                if type == .commodityHousing { developers.append((compoundID, UUID())) }
            }
        }
        try await compoundInserter.flush(on: db)
        try await buildingInserter.flush(on: db)
        counts.compounds = compoundInserter.written
        counts.buildings = buildingInserter.written
        progress("register: \(counts.compounds) compounds, \(counts.buildings) buildings")

        // 3. Households, dwellings, owners, persons, tags, help and aid.
        var dwellings = BulkInserter(
            table: "dwellings",
            columns: [
                "id", "subdistrict_id", "compound_id", "building_id", "grid_node_id", "stairwell", "room",
                "area_register_cm2", "area_surveyed_cm2", "area_contract_cm2", "developer_held", "unsold", "undelivered"
            ])
        var owners = BulkInserter(table: "owners", columns: ["id", "subdistrict_id", "kind", "person_id", "name", "created_at"])
        var dwellingOwners = BulkInserter(table: "dwelling_owners", columns: ["dwelling_id", "owner_id"])
        var households = BulkInserter(
            table: "households",
            columns: ["id", "subdistrict_id", "grid_node_id", "dwelling_id", "address", "moved_in_on", "created_at", "updated_at"])
        var persons = BulkInserter(table: "persons", columns: RegistryService.personColumns)
        var assignments = BulkInserter(
            table: "tag_assignments",
            columns: ["id", "subdistrict_id", "person_id", "tag_id", "grid_node_id", "starts_on", "ends_on", "source", "created_by", "created_at"])
        var help = BulkInserter(
            table: "help_requests",
            columns: [
                "id", "subdistrict_id", "grid_node_id", "person_id", "household_id", "category", "description",
                "status", "requested_on", "resolved_on", "created_by", "created_at"
            ])
        var aid = BulkInserter(
            table: "aid_records",
            columns: [
                "id", "subdistrict_id", "grid_node_id", "person_id", "household_id", "help_request_id", "programme",
                "kind", "amount_fen", "quantity", "unit", "minutes", "description", "given_on", "recorded_by", "created_at"
            ])

        // Developer-held, unsold units: two per commodity-housing building, owned by the compound's developer.
        for (compoundID, developerID) in developers {
            owners.append([
                SQLBind(developerID), bindOrNull(subdistrictID), SQLBind("developer"), SQLLiteral.null,
                SQLBind("上海\(["汾西", "临汾", "静安", "闸北"][Int(rng.next() % 4)])置业有限公司"), SQLBind(now)
            ])
            for place in places where place.compoundID == compoundID {
                for unit in 1...2 {
                    let dwellingID = UUID()
                    let area = DemoPopulation.dwellingArea(in: place.type, using: &rng)
                    dwellings.append([
                        SQLBind(dwellingID), bindOrNull(subdistrictID), SQLBind(compoundID), SQLBind(place.buildingID), SQLBind(place.nodeID),
                        SQLBind("1"), SQLBind("\(place.floors)0\(unit + 2)"), SQLBind(Int64(area)), SQLLiteral.null, SQLBind(Int64(area + 150_00)),
                        SQLBind(true), SQLBind(true), SQLBind(unit == 2)
                    ])
                    dwellingOwners.append([SQLBind(dwellingID), SQLBind(developerID)])
                }
            }
        }
        let housingBureau = UUID()
        owners.append([
            SQLBind(housingBureau), bindOrNull(subdistrictID), SQLBind("organisation"), SQLLiteral.null, SQLBind("静安区房屋管理局（公房）"), SQLBind(now)
        ])
        var landlord: (id: UUID, left: Int)?

        let total = max(1, Int((Double(householdsAtScaleOne) * scale).rounded()))
        let aidStart = (try? today.adding(days: -aidMonths * 30)) ?? today
        let temporary = tagCode(endingWith: ".temporary")
        let helpCategories = ["生活困难", "就医求助", "就业求助", "住房修缮", "法律咨询", "心理疏导", "照护需求"]
        for number in 0..<total {
            let index = min(places.count - 1, number * places.count / total)
            let place = places[index]
            let room = places[index].rooms
            places[index].rooms += 1
            let household = DemoPopulation.household(number: number, using: &rng, today: today)
            let householdID = UUID(), dwellingID = UUID()
            let floor = (room / 2) % place.floors + 1
            let roomName = "\(floor)0\(room % 2 + 1)"
            let stairwell = String(room / (place.floors * 2) + 1)
            let area = DemoPopulation.dwellingArea(in: place.type, using: &rng)
            let hasRegister = rng.next() % 10 != 0
            dwellings.append([
                SQLBind(dwellingID), bindOrNull(subdistrictID), SQLBind(place.compoundID), SQLBind(place.buildingID), SQLBind(place.nodeID),
                SQLBind(stairwell), SQLBind(stairwell == "1" ? roomName : "\(stairwell)-\(roomName)"),
                hasRegister ? SQLBind(Int64(area)) : SQLLiteral.null, SQLBind(Int64(area + Int(rng.next() % 200))),
                SQLBind(Int64(area + 300_00)), SQLBind(false), SQLBind(false), SQLBind(false)
            ])
            let movedIn = max(household.members.map(\.birthDate).max() ?? today, (try? today.adding(days: -Int(rng.next() % 12_000))) ?? today)
            households.append([
                SQLBind(householdID), bindOrNull(subdistrictID), SQLBind(place.nodeID), SQLBind(dwellingID),
                SQLBind("\(place.name)\(roomName)室"), SQLBind(movedIn.iso8601), SQLBind(now), SQLBind(now)
            ])
            var headID: UUID?
            var headName = ""
            for member in household.members {
                let personID = UUID()
                if member.relation == .head { headID = personID; headName = member.name }
                let id = try ResidentIDNumber(parsing: member.idNumber, today: today)
                let sealedID = try vault.seal(id.normalized, masked: id.masked, kind: .idNumber)
                let phone = try member.phone.map { try MobileNumber(parsing: $0) }
                let sealedPhone = try phone.map { try vault.seal($0.normalized, masked: $0.masked, kind: .phone) }
                persons.append([
                    SQLBind(personID), bindOrNull(subdistrictID), SQLBind(place.nodeID), SQLBind(householdID), SQLBind(member.name),
                    SQLBind(member.sex.rawValue), SQLBind(member.birthDate.iso8601), SQLBind(sealedID.ciphertext), SQLBind(sealedID.blindIndex),
                    SQLBind(sealedID.masked), bindOrNull(sealedPhone?.ciphertext), bindOrNull(sealedPhone?.blindIndex),
                    bindOrNull(sealedPhone?.masked),
                    SQLBind(member.relation.rawValue), SQLBind(household.residence.rawValue), SQLBind(movedIn.iso8601), SQLBind(now), SQLBind(now)
                ])
                for code in member.tagCodes {
                    guard let tagID = tagIDs[code] else { continue }
                    let back = Int(rng.next() % 3_000)
                    let start = max(member.birthDate, (try? today.adding(days: -back)) ?? today)
                    assignments.append([
                        SQLBind(UUID()), bindOrNull(subdistrictID), SQLBind(personID), SQLBind(tagID), SQLBind(place.nodeID),
                        SQLBind(start.iso8601), SQLLiteral.null, SQLBind("demo"), SQLBind("demo"), SQLBind(now)
                    ])
                }
                // History: some people once had temporary assistance that has ended.
                if let temporary, let tagID = tagIDs[temporary], !member.tagCodes.isEmpty, rng.next() % 12 == 0 {
                    let end = (try? today.adding(days: -Int(rng.next() % 700) - 30)) ?? today
                    let start = (try? end.adding(days: -90)) ?? end
                    assignments.append([
                        SQLBind(UUID()), bindOrNull(subdistrictID), SQLBind(personID), SQLBind(tagID), SQLBind(place.nodeID),
                        SQLBind(max(start, member.birthDate).iso8601), SQLBind(end.iso8601), SQLBind("demo"), SQLBind("demo"), SQLBind(now)
                    ])
                    aid.append(aidRow(subdistrictID, place.nodeID, personID, householdID, nil, "临时救助", .cash, fen: 200_000, on: start, now: now))
                }
                // The regular aid history by the services the person receives is written at the
                // end by the database (RegistryDemo+Aid.swift).
            }
            // Ownership: owner-occupied, rented from a private landlord (some owning several units), or public housing.
            let ownership = rng.next() % 100
            if ownership < 70, let headID {
                let ownerID = UUID()
                owners.append([SQLBind(ownerID), bindOrNull(subdistrictID), SQLBind("person"), SQLBind(headID), SQLBind(headName), SQLBind(now)])
                dwellingOwners.append([SQLBind(dwellingID), SQLBind(ownerID)])
            } else if ownership < 88 || place.type != .oldResidential {
                if landlord == nil || landlord!.left == 0 {
                    landlord = (UUID(), Int(rng.next() % 3))
                    owners.append([
                        SQLBind(landlord!.id), bindOrNull(subdistrictID), SQLBind("person"), SQLLiteral.null,
                        SQLBind("业主\(number)"), SQLBind(now)
                    ])
                } else {
                    landlord!.left -= 1
                }
                dwellingOwners.append([SQLBind(dwellingID), SQLBind(landlord!.id)])
            } else {
                dwellingOwners.append([SQLBind(dwellingID), SQLBind(housingBureau)])
            }
            // Help requests: about one household in twelve asked for help in two years.
            if rng.next() % 12 == 0, let headID {
                let requested = (try? today.adding(days: -Int(rng.next() % 700))) ?? today
                let resolved = rng.next() % 10 < 8 ? (try? requested.adding(days: Int(rng.next() % 30) + 1)).map { min($0, today) } : nil
                let requestID = UUID()
                let category = helpCategories[Int(rng.next() % UInt64(helpCategories.count))]
                help.append([
                    SQLBind(requestID), bindOrNull(subdistrictID), SQLBind(place.nodeID), SQLBind(headID), SQLBind(householdID),
                    SQLBind(category), SQLBind("\(category)：走访中居民提出，已登记跟进。"), SQLBind(resolved == nil ? "open" : "resolved"),
                    SQLBind(requested.iso8601), bindOrNull(resolved?.iso8601), SQLBind("demo"), SQLBind(now)
                ])
                if resolved != nil {
                    aid.append(
                        aidRow(
                            subdistrictID, place.nodeID, headID, householdID, requestID, category, .cash,
                            fen: Int64(50_000 + rng.next() % 4 * 50_000),
                            on: requested, now: now))
                }
            }
            // Parents before children, so foreign keys hold at every statement.
            if [dwellings, owners, dwellingOwners, households, persons, assignments, help, aid].contains(where: \.isFull) {
                try await dwellings.flush(on: db); try await households.flush(on: db); try await persons.flush(on: db)
                try await owners.flush(on: db); try await dwellingOwners.flush(on: db); try await assignments.flush(on: db)
                try await help.flush(on: db); try await aid.flush(on: db)
            }
            if number % 3_000 == 2_999 { progress("register: \(number + 1)/\(total) households") }
        }
        for inserter in [dwellings, households, persons, owners, dwellingOwners, assignments, help, aid] {
            var flushing = inserter
            try await flushing.flush(on: db)
            switch inserter.table {
            case "dwellings": counts.dwellings = flushing.written
            case "owners": counts.owners = flushing.written
            case "households": counts.households = flushing.written
            case "persons": counts.persons = flushing.written
            case "tag_assignments": counts.tagAssignments = flushing.written
            case "help_requests": counts.helpRequests = flushing.written
            case "aid_records": counts.aidRecords = flushing.written
            default: break
            }
        }
        progress("register: regular aid history")
        counts.aidRecords += try await insertScheduledAid(aidSchedule(start: aidStart, today: today), tagIDs: tagIDs, now: now, on: db)
        progress("register: \(counts.aidRecords) aid records")
        return counts
    }

    private static func aidRow(
        _ subdistrictID: UUID?, _ node: UUID, _ person: UUID, _ household: UUID, _ request: UUID?, _ programme: String,
        _ kind: AidKind, fen: Int64? = nil, quantity: Int64? = nil, unit: String? = nil, minutes: Int64? = nil,
        on date: CivilDate, now: Date
    ) -> [any SQLExpression] {
        [
            SQLBind(UUID()), bindOrNull(subdistrictID), SQLBind(node), SQLBind(person), SQLBind(household), bindOrNull(request), SQLBind(programme),
            SQLBind(kind.rawValue), bindOrNull(fen), bindOrNull(quantity), bindOrNull(unit), bindOrNull(minutes), SQLBind(programme),
            SQLBind(date.iso8601), SQLBind("demo"), SQLBind(now)
        ]
    }
}
