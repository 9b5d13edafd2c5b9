import Foundation
import Vapor

/// `minqing notifications deliver`: one delivery pass, for a timer when `serve` is not running.
struct NotificationsCommands: AsyncCommandGroup {
    var help: String { "Notifications to phones (消息推送)." }
    var commands: [String: any AnyAsyncCommand] { ["deliver": NotificationsDeliverCommand()] }
}

struct NotificationsDeliverCommand: AsyncCommand {
    struct Signature: CommandSignature { init() {} }

    var help: String { "Sends the due phone messages through the gateway once and drops notifications older than 180 days." }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate()
        let pass = try await NotificationDelivery.deliver(app, now: app.services.now())
        if app.services.config.notifyGateway == nil {
            context.console.print("未配置短信/消息网关，只清理了过期消息 / no gateway configured: only old notifications were dropped")
        }
        context.console.print(
            "发送 \(pass.sent)，失败待重试 \(pass.failed)，转入死信 \(pass.dead)，过期 \(pass.expired)，清理 \(pass.purged) / sent \(pass.sent), failed \(pass.failed), dead \(pass.dead), expired \(pass.expired), dropped \(pass.purged)"
        )
    }
}
