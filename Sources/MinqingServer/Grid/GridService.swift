import Fluent
import Foundation
import MinqingDomain
import SQLKit

/// A node to be added to the tree, parent first.
package struct NewGridNode: Sendable {
    package var id: UUID = UUID()
    package var code: String
    package var name: String
    package var level: GridLevel
    package var parentCode: String?
    package var sortOrder: Int

    package init(id: UUID = UUID(), code: String, name: String, level: GridLevel, parentCode: String?, sortOrder: Int) {
        self.id = id
        self.code = code
        self.name = name
        self.level = level
        self.parentCode = parentCode
        self.sortOrder = sortOrder
    }
}

/// Writes whole trees or single nodes together with their closure rows, in batched multi-row
/// INSERTs. The caller runs it inside a write transaction so a tree is never half-written.
package enum GridWriter {
    /// Inserts `nodes` (each parent before its children; a parent may also already exist).
    @discardableResult
    package static func insert(_ nodes: [NewGridNode], on db: any Database) async throws -> [String: UUID] {
        struct Placed { var id: UUID; var path: String; var depth: Int; var level: GridLevel; var subdistrictID: UUID?; var ancestors: [UUID] }
        var placed: [String: Placed] = [:]
        var nodeRows: [GridQueries.NodeRow] = []
        var closureRows: [GridQueries.ClosureRow] = []
        let now = Date()
        for node in nodes {
            var parent: Placed?
            if let parentCode = node.parentCode {
                if let known = placed[parentCode] {
                    parent = known
                } else if let existing = try await GridQueries.node(code: parentCode, on: db) {
                    let ancestors = try await GridQueries.ancestorIDs(of: existing.id, on: db)
                    parent = Placed(
                        id: existing.id, path: existing.path, depth: existing.depth, level: existing.level,
                        subdistrictID: existing.subdistrictID, ancestors: ancestors)
                    placed[parentCode] = parent
                } else {
                    throw AppError.validation("parent", zh: "上级节点 \(parentCode) 不存在", en: "The parent node \(parentCode) does not exist")
                }
            }
            if let parent {
                guard parent.level.mayParent(node.level) else {
                    throw AppError.validation(
                        "level", zh: "\(parent.level.nameZH)下不能直接设\(node.level.nameZH)",
                        en: "A \(node.level.nameEN.lowercased()) cannot stand directly under a \(parent.level.nameEN.lowercased())")
                }
            } else if !node.level.mayBeRoot {
                throw AppError.validation("parent", zh: "\(node.level.nameZH)必须有上级节点", en: "A \(node.level.nameEN.lowercased()) needs a parent")
            }
            guard !node.code.isEmpty, node.code.count <= 64, !node.code.contains("/"),
                node.code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") })
            else {
                throw AppError.validation(
                    "code", zh: "编码只能含字母、数字、-、_、.，最长 64 个字符",
                    en: "A code may contain only letters, digits, '-', '_' and '.', at most 64 characters")
            }
            let path = (parent?.path ?? "/") + node.code + "/"
            let depth = (parent?.depth ?? -1) + 1
            let subdistrictID: UUID? = node.level == .subdistrict ? node.id : (node.level > .subdistrict ? parent?.subdistrictID : nil)
            let ancestors = (parent?.ancestors ?? []) + [node.id]
            placed[node.code] = Placed(
                id: node.id, path: path, depth: depth, level: node.level,
                subdistrictID: subdistrictID, ancestors: ancestors)
            nodeRows.append(
                GridQueries.NodeRow(
                    id: node.id, subdistrictID: subdistrictID, parentID: parent?.id, code: node.code, name: node.name,
                    level: node.level, path: path, depth: depth, sortOrder: node.sortOrder, createdAt: now))
            for (index, ancestor) in ancestors.enumerated() {
                closureRows.append(GridQueries.ClosureRow(ancestor: ancestor, descendant: node.id, depth: ancestors.count - 1 - index))
            }
        }
        try await GridQueries.insertNodes(nodeRows, on: db)
        try await GridQueries.insertClosure(closureRows, on: db)
        return placed.mapValues(\.id)
    }
}

extension Array {
    func chunked(into size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}
