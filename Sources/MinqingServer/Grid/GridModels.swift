import Fluent
import Foundation
import MinqingDomain

/// A node of the grid tree (网格节点): city, district, subdistrict, block, residential area,
/// micro-grid or building group. `path` is the materialised chain of codes ("/310106019/…/"),
/// used for display and ordering; "everything under N" goes through `grid_closure`.
package final class GridNode: Model, @unchecked Sendable {
    package static let schema = "grid_nodes"

    @ID(key: .id) package var id: UUID?
    /// The tenant: the subdistrict this node belongs to (itself for a subdistrict; nil above).
    @OptionalField(key: "subdistrict_id") var subdistrictID: UUID?
    @OptionalField(key: "parent_id") var parentID: UUID?
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @Field(key: "level") var level: String
    @Field(key: "path") var path: String
    @Field(key: "depth") var depth: Int
    @Field(key: "sort_order") var sortOrder: Int
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    package init() {}

    package init(
        id: UUID = UUID(), subdistrictID: UUID?, parentID: UUID?, code: String, name: String,
        level: GridLevel, path: String, depth: Int, sortOrder: Int
    ) {
        self.id = id
        self.subdistrictID = subdistrictID
        self.parentID = parentID
        self.code = code
        self.name = name
        self.level = level.rawValue
        self.path = path
        self.depth = depth
        self.sortOrder = sortOrder
    }

    var gridLevel: GridLevel { GridLevel(rawValue: level) ?? .buildingGroup }
}
