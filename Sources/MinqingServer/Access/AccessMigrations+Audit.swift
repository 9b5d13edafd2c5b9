import Fluent
import SQLKit

/// The audit tables, the head row, and the triggers that make the log append-only.
struct CreateAuditLog: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("audit_log")
            .field("seq", .int64, .identifier(auto: false))
            .field("at_ms", .int64, .required)
            .field("actor_id", .string)
            .field("actor_name", .string)
            .field("action", .string, .required)
            .field("target_type", .string)
            .field("target_id", .string)
            .field("detail", .string, .required)
            .field("client_address", .string)
            .field("prev_hash", .string, .required)
            .field("hash", .string, .required)
            .create()
        try await database.schema("audit_head")
            .field("id", .int, .identifier(auto: false))
            .field("seq", .int64, .required)
            .field("hash", .string, .required)
            .create()
        let sql = database.sql
        try await sql.raw("INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, \(bind: AuditLog.genesis))").run()
        try await sql.create(index: "audit_log_actor").on("audit_log").column("actor_id").run()
        if sql.dialect.name == "postgresql" {
            try await sql.raw(
                """
                CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$
                """
            ).run()
            try await sql.raw(
                """
                CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
                FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()
                """
            ).run()
            try await sql.raw(
                """
                CREATE FUNCTION audit_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF TG_OP = 'DELETE' OR NEW.seq <> OLD.seq + 1 THEN RAISE EXCEPTION 'audit_head only moves forward'; END IF;
                  RETURN NEW;
                END $$
                """
            ).run()
            try await sql.raw(
                """
                CREATE TRIGGER audit_head_forward BEFORE UPDATE OR DELETE ON audit_head
                FOR EACH ROW EXECUTE FUNCTION audit_head_forward_only()
                """
            ).run()
        } else {
            try await sql.raw(
                "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
            ).run()
            try await sql.raw(
                "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
            ).run()
            try await sql.raw(
                "CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head BEGIN SELECT RAISE(ABORT, 'audit_head only moves forward'); END"
            ).run()
            try await sql.raw(
                """
                CREATE TRIGGER audit_head_forward BEFORE UPDATE ON audit_head WHEN NEW.seq <> OLD.seq + 1
                BEGIN SELECT RAISE(ABORT, 'audit_head only moves forward'); END
                """
            ).run()
        }
    }

    func revert(on database: any Database) async throws {
        let sql = database.sql
        try await database.schema("audit_head").delete()
        try await database.schema("audit_log").delete()
        if sql.dialect.name == "postgresql" {
            try await sql.raw("DROP FUNCTION IF EXISTS audit_log_append_only()").run()
            try await sql.raw("DROP FUNCTION IF EXISTS audit_head_forward_only()").run()
        }
    }
}

/// The audit head may move forward by more than one row at a time (a batch append), but only
/// forward and only onto a row of the trail with that hash. Replaces the trigger of
/// `CreateAuditLog`, which allowed exactly one row at a time.
struct AuditHeadMovesToARow: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database.sql
        if sql.dialect.name == "postgresql" {
            try await sql.raw(
                """
                CREATE OR REPLACE FUNCTION audit_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF TG_OP = 'DELETE' OR NEW.seq <= OLD.seq
                     OR NOT EXISTS (SELECT 1 FROM audit_log WHERE seq = NEW.seq AND hash = NEW.hash) THEN
                    RAISE EXCEPTION 'audit_head only moves forward, onto a row of the trail';
                  END IF;
                  RETURN NEW;
                END $$
                """
            ).run()
        } else {
            try await sql.raw("DROP TRIGGER audit_head_forward").run()
            try await sql.raw(
                """
                CREATE TRIGGER audit_head_forward BEFORE UPDATE ON audit_head
                WHEN NEW.seq <= OLD.seq OR NOT EXISTS (SELECT 1 FROM audit_log WHERE seq = NEW.seq AND hash = NEW.hash)
                BEGIN SELECT RAISE(ABORT, 'audit_head only moves forward, onto a row of the trail'); END
                """
            ).run()
        }
    }

    func revert(on database: any Database) async throws {
        let sql = database.sql
        if sql.dialect.name == "postgresql" {
            try await sql.raw(
                """
                CREATE OR REPLACE FUNCTION audit_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF TG_OP = 'DELETE' OR NEW.seq <> OLD.seq + 1 THEN RAISE EXCEPTION 'audit_head only moves forward'; END IF;
                  RETURN NEW;
                END $$
                """
            ).run()
        } else {
            try await sql.raw("DROP TRIGGER audit_head_forward").run()
            try await sql.raw(
                """
                CREATE TRIGGER audit_head_forward BEFORE UPDATE ON audit_head WHEN NEW.seq <> OLD.seq + 1
                BEGIN SELECT RAISE(ABORT, 'audit_head only moves forward'); END
                """
            ).run()
        }
    }
}
