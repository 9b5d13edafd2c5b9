import Fluent
import Foundation
import MinqingDomain
import Vapor

/// A property company's answers by JSON (its own account only): the report on an open
/// rectification, and the reply to a complaint linked to it.
extension OversightController {
    @Sendable func answerRectification(req: Request) async throws -> Response {
        try await Self.created(
            try await OversightService.answerRectification(
                try req.pathID(notFound: OversightService.rectificationNotFound), try req.content.decode(RectificationAnswerInput.self),
                writer: try Self.writer(req), on: req.db), req)
    }

    @Sendable func answerComplaint(req: Request) async throws -> Response {
        try await Self.created(
            try await OversightService.answerComplaint(
                try req.pathID(notFound: OversightService.complaintNotFound), try req.content.decode(ComplaintAnswerInput.self),
                writer: try Self.writer(req), on: req.db), req)
    }
}
