import MinqingDemo
import MinqingServer

await Entrypoint.main(commands: DemoCommands.register)
