import FluentPostgresDriver
import Foundation
import MinqingDomain

/// A `TypedID` is bound and read exactly as its UUID: PostgreSQL's `uuid` in binary. (SQLite
/// stores UUIDs as text through `Codable`, which `TypedID` already passes through.)
extension TypedID: PostgresEncodable, PostgresNonThrowingEncodable, PostgresDecodable {
    public static var psqlType: PostgresDataType { UUID.psqlType }
    public static var psqlFormat: PostgresFormat { UUID.psqlFormat }

    public func encode<JSONEncoder: PostgresJSONEncoder>(into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>) {
        rawValue.encode(into: &byteBuffer, context: context)
    }

    public init<JSONDecoder: PostgresJSONDecoder>(
        from buffer: inout ByteBuffer, type: PostgresDataType, format: PostgresFormat, context: PostgresDecodingContext<JSONDecoder>
    ) throws {
        self.init(try UUID(from: &buffer, type: type, format: format, context: context))
    }
}

extension TypedID: PathSegment {
    package var pathSegment: String { uuidString }
}
