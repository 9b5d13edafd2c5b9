import Foundation
import MinqingDomain

// A dwellings file's owner columns, and the checks that span its rows.
extension DwellingImport {
    static func readOwner(cell: (DwellingColumn) -> String, line: Int, today: CivilDate, errors: inout ErrorList) -> OwnerSpec? {
        let name = cell(.ownerName), kindText = cell(.ownerKind), idText = cell(.ownerIDNumber), phoneText = cell(.ownerPhone)
        func fail(_ column: DwellingColumn, _ zh: String, _ en: String) { errors.add(line, column.rawValue, zh, en) }
        guard !name.isEmpty else {
            if !kindText.isEmpty || !idText.isEmpty || !phoneText.isEmpty {
                fail(.ownerName, "填写了业主信息但没有业主姓名", "The owner's details are given without the owner's name")
            }
            return nil
        }
        var ok = true
        var kind = OwnerKind.person
        if !kindText.isEmpty {
            if let known = OwnerKind(label: kindText) {
                kind = known
            } else {
                fail(.ownerKind, "业主类型无法识别；可填：个人、开发商、单位", "Unknown owner kind; use person, developer or organisation")
                ok = false
            }
        }
        let limit = kind == .person ? 40 : 100
        if name.count > limit {
            fail(.ownerName, "业主姓名最长 \(limit) 个字符", "An owner's name has at most \(limit) characters")
            ok = false
        }
        var id: ResidentIDNumber?
        if kind == .person {
            if idText.isEmpty {
                fail(
                    .ownerIDNumber, "个人业主须填写身份证号码；开发商或单位请在“业主类型”中注明",
                    "A person who owns needs an ID number; mark developers and organisations in “owner_kind”")
                ok = false
            } else {
                do { id = try ResidentIDNumber(parsing: idText, today: today) } catch {
                    fail(.ownerIDNumber, error.messageZH, error.messageEN)
                    ok = false
                }
            }
        } else if !idText.isEmpty {
            fail(.ownerIDNumber, "开发商或单位业主不填身份证号码", "Developers and organisations have no resident ID number")
            ok = false
        }
        var phone: MobileNumber?
        if !phoneText.isEmpty {
            do { phone = try MobileNumber(parsing: phoneText) } catch {
                fail(.ownerPhone, error.messageZH, error.messageEN)
                ok = false
            }
        }
        return ok ? OwnerSpec(line: line, kind: kind, name: name, id: id, phone: phone) : nil
    }

    // MARK: Checks within the file

    /// Each dwelling has an area, a developer among the owners when developer-held, no owner
    /// twice; one ID number carries one name; a new compound's details are complete (checked
    /// again against the register in `resolve`).
    static func checkFile(_ parsed: Parsed, into errors: inout ErrorList) {
        for dwelling in parsed.dwellings {
            if dwelling.areas.allSatisfy({ $0.value == nil }), !dwelling.unreadableArea {
                errors.add(
                    dwelling.firstLine, DwellingColumn.areaRegister.rawValue, "至少填写登记面积、实测面积、合同面积中的一种",
                    "Give at least one of the register, surveyed and contract areas")
            }
            let owners = dwelling.rows.compactMap { parsed.rows[$0].owner }
            if dwelling.developerHeld.value == true, !owners.contains(where: { $0.kind == .developer }) {
                errors.add(
                    dwelling.developerHeld.line, DwellingColumn.developerHeld.rawValue, "开发商持有的房屋须有一名类型为“开发商”的业主",
                    "A developer-held dwelling needs an owner of kind “developer”")
            }
            var seen: [String: Int] = [:]
            for owner in owners {
                if let first = seen[owner.identity] {
                    errors.add(
                        owner.line, owner.id == nil ? DwellingColumn.ownerName.rawValue : DwellingColumn.ownerIDNumber.rawValue,
                        "与第\(first)行是同一房屋的同一业主", "The same owner of the same dwelling as line \(first)")
                } else {
                    seen[owner.identity] = owner.line
                }
            }
        }
        var names: [String: (name: String, line: Int)] = [:]
        for row in parsed.rows {
            guard let owner = row.owner, let id = owner.id else { continue }
            if let first = names[id.normalized] {
                if first.name != owner.name {
                    errors.add(
                        row.line, DwellingColumn.ownerName.rawValue, "与第\(first.line)行身份证号码相同的业主姓名不一致",
                        "Line \(first.line) gives the same ID number with another name")
                }
            } else {
                names[id.normalized] = (owner.name, row.line)
            }
        }
    }
}
