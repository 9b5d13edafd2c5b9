import MinqingServer

await Entrypoint.main()
