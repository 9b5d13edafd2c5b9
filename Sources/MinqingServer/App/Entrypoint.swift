import Foundation
import Logging
import Vapor

/// Runs the `minqing` command line: parses the configuration, builds the application, runs the
/// command, and exits non-zero with a clear message on any failure.
public enum Entrypoint {
    /// `commands` registers more commands after the server's own (the demo's `demo` and `serve --demo`).
    public static func main(commands: (Application) -> Void = { _ in }) async {
        // Files the server makes (the SQLite database, its WAL, the key file) are its own.
        umask(0o077)
        var env: Environment
        do {
            env = try Environment.detect()
            // Nothing below info is ever written: the database drivers log statements with their
            // bound values (names, addresses) at debug and trace, and a log must not hold them.
            let level = try Logger.Level.detect(from: &env)
            LoggingSystem.bootstrap(console: Terminal(), level: max(level, .info))
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            exit(2)
        }
        let config: AppConfig
        do {
            config = try AppConfig.fromEnvironment()
        } catch {
            FileHandle.standardError.write(Data("\(error.description)\n".utf8))
            exit(2)
        }
        let app: Application
        do {
            app = try await Application.make(env)
        } catch {
            FileHandle.standardError.write(Data("启动失败 / start-up failed: \(error)\n".utf8))
            exit(1)
        }
        var failed = false
        do {
            try await configure(app, config: config)
            commands(app)
        } catch {
            FileHandle.standardError.write(Data("启动失败 / start-up failed: \(String(describing: error))\n".utf8))
            failed = true
        }
        if !failed {
            do {
                // Vapor reports a failing command on the log itself (AppError and CommandFailure
                // describe themselves in both languages), so it is not printed twice here.
                try await app.execute()
            } catch {
                failed = true
            }
        }
        try? await app.asyncShutdown()
        if failed { exit(1) }
    }
}
