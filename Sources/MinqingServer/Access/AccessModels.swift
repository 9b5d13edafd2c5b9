import Fluent
import Foundation
import MinqingDomain

/// A login account (账号). Every account is bound to a grid node: staff see that node's subtree,
/// a resident is bound to the building group they live in.
package final class Account: Model, @unchecked Sendable {
    package static let schema = "accounts"

    @ID(key: .id) package var id: UUID?
    /// The tenant: the subdistrict of the account's node (nil for accounts above subdistricts).
    @OptionalField(key: "subdistrict_id") var subdistrictID: UUID?
    @Field(key: "username") var username: String
    @Field(key: "display_name") var displayName: String
    @Field(key: "role") var role: String
    @Field(key: "grid_node_id") var gridNodeID: UUID
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "must_change_password") var mustChangePassword: Bool
    @Field(key: "disabled") var disabled: Bool
    @OptionalField(key: "password_changed_at") var passwordChangedAt: Date?
    @OptionalField(key: "last_login_at") var lastLoginAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    package init() {}

    package init(
        id: UUID = UUID(), subdistrictID: UUID?, username: String, displayName: String, role: Role,
        gridNodeID: UUID, passwordHash: String, mustChangePassword: Bool
    ) {
        self.id = id
        self.subdistrictID = subdistrictID
        self.username = username
        self.displayName = displayName
        self.role = role.rawValue
        self.gridNodeID = gridNodeID
        self.passwordHash = passwordHash
        self.mustChangePassword = mustChangePassword
        self.disabled = false
    }

    var accountRole: Role { Role(rawValue: role) ?? .resident }
}

/// A web session or an API token. Only the SHA-256 of the secret is stored, so a copy of the
/// database gives nobody a way in.
package final class AuthSession: Model, @unchecked Sendable {
    package static let schema = "auth_sessions"

    @ID(key: .id) package var id: UUID?
    @Field(key: "token_hash") var tokenHash: String
    /// `web` (cookie) or `api` (bearer token).
    @Field(key: "kind") var kind: String
    @Parent(key: "account_id") var account: Account
    /// The CSRF token of a web session's forms.
    @Field(key: "csrf_token") var csrfToken: String
    @Field(key: "expires_at") var expiresAt: Date
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @OptionalField(key: "client_address") var clientAddress: String?

    package init() {}

    init(tokenHash: String, kind: String, accountID: UUID, csrfToken: String, expiresAt: Date, clientAddress: String?) {
        self.tokenHash = tokenHash
        self.kind = kind
        self.$account.id = accountID
        self.csrfToken = csrfToken
        self.expiresAt = expiresAt
        self.clientAddress = clientAddress
    }
}
