import Fluent
import Foundation
import MinqingDomain
import SQLKit
import Vapor

/// Tag expressions as people write them: `独居老人 且 非 助餐服务` as well as
/// `id.elderly.alone AND NOT svc.elderly.meal_aid`. Each word is resolved through the catalogue
/// the caller's role may see (`TagNames`: a code, a Chinese or an English name), so a sensitive
/// tag's name is as unknown to a role without sensitive access as its code.
extension SmartGroupQueries {
    /// An expression over tag codes, the ids of its tags, and whether one of them is sensitive.
    struct ResolvedTags: Sendable {
        var expression: TagExpression
        var tagIDs: [String: UUID]
        var sensitive: Bool
    }

    private struct TagRow: Decodable, Sendable {
        var id: UUID; var code: String; var name_zh: String; var name_en: String; var sensitive: Bool
    }

    /// Resolves the words of `expression` for `role`; a 422 on `expression` naming every word that
    /// names no tag, or several. The tags the words spell exactly are read first (the usual case,
    /// one short query); only when that leaves a word unresolved is the whole visible catalogue
    /// read, for names written in other letter case or without their qualifier.
    static func resolveTags(_ expression: TagExpression, role: Role, on db: any Database) async throws -> ResolvedTags {
        let words = Array(expression.tags)
        let filter = RegistryQueries.sensitiveFilter(role, tagAlias: "t")
        var rows = try await db.sql.raw(
            """
            SELECT t.id, t.code, t.name_zh, t.name_en, t.sensitive FROM tags t
            WHERE (t.code IN (\(binds: words)) OR t.name_zh IN (\(binds: words)) OR t.name_en IN (\(binds: words))) \(filter)
            """
        ).all(decoding: TagRow.self)
        if (try? expression.resolvingNames(names(rows))) == nil {
            rows = try await db.sql.raw(
                """
                SELECT t.id, t.code, t.name_zh, t.name_en, t.sensitive FROM tags t WHERE 1 = 1 \(filter)
                """
            ).all(decoding: TagRow.self)
        }
        let resolved: TagExpression
        do {
            resolved = try expression.resolvingNames(names(rows))
        } catch {
            throw AppError.validation([error.fieldError])
        }
        let codes = resolved.tags
        var ids: [String: UUID] = [:]
        var sensitive = false
        for row in rows where codes.contains(row.code) {
            ids[row.code] = row.id
            sensitive = sensitive || row.sensitive
        }
        return ResolvedTags(expression: resolved, tagIDs: ids, sensitive: sensitive)
    }

    private static func names(_ rows: [TagRow]) -> TagNames {
        TagNames(rows.map { TagNames.Entry(code: $0.code, nameZH: $0.name_zh, nameEN: $0.name_en) })
    }

    /// The criteria as a group stores them: the expression over tag codes in its canonical text,
    /// so that a saved group keeps meaning the same tags when a tag's name is corrected (the page
    /// writes it back in names). Criteria whose expression does not resolve are returned as given
    /// (`compile` refuses them first).
    static func stored(_ criteria: Criteria, role: Role, on db: any Database) async throws -> Criteria {
        guard let text = criteria.expression, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty,
            let parsed = try? TagExpression(parsing: text),
            let resolved = try? await resolveTags(parsed, role: role, on: db)
        else { return criteria }
        var stored = criteria
        stored.expression = resolved.expression.description
        return stored
    }
}
