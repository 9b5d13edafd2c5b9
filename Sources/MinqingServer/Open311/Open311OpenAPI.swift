import Foundation

/// The Open311 clients API in `/openapi.json`. The wire format under `/open311/v2/` itself is
/// the GeoReport v2 specification's (see docs/open311.md), not described here.
extension OpenAPIDocument {
    private static var client: [String: Any] {
        object([
            "id": ["type": "string", "format": "uuid"], "name": string, "jurisdiction_id": string, "key_hint": string, "created_by": string,
            "created_at": ["type": "string", "format": "date-time"], "revoked_at": ["type": "string", "format": "date-time"]
        ])
    }

    static var open311Operations: [Operation] {
        [
            Operation(
                method: "get", path: "/api/v1/open311/clients", summary: "Open311 clients of the subdistricts in scope (never their keys)",
                tag: "open311", response: ("200", ["type": "array", "items": client])),
            Operation(
                method: "post", path: "/api/v1/open311/clients",
                summary: "Issue an API key for an Open311 client; the key is in this answer only (only its hash is kept)", tag: "open311",
                request: object(["name": string, "jurisdiction_id": string], required: ["name"]),
                response: ("201", object(["client": client, "api_key": string]))),
            Operation(
                method: "post", path: "/api/v1/open311/clients/{id}/revoke", summary: "Revoke a client's key", tag: "open311",
                response: ("204", nil))
        ]
    }
}
