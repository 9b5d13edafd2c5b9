import Vapor

/// Every route of the application, by capability.
func routes(_ app: Application) throws {
    try app.register(collection: SystemController())
    try app.register(collection: AccessPages())
    try app.register(collection: AccessController())
    try app.register(collection: AccountController())
    try app.register(collection: AccountPages())
    try app.register(collection: AuditPages())
    try app.register(collection: GridController())
    try app.register(collection: GridPages())
    try app.register(collection: RegistryController())
    try app.register(collection: SmartGroupController())
    try app.register(collection: RegistryRecordsController())
    try app.register(collection: TagCatalogueController())
    try app.register(collection: RegistryPages())
    try app.register(collection: CompoundController())
    try app.register(collection: RegistryTransferController())
    try app.register(collection: RegistryImportPages())
    try app.register(collection: RegistryTagPages())
    try app.register(collection: VisitsController())
    try app.register(collection: VisitsPages())
    try app.register(collection: VotingController())
    try app.register(collection: VotingPages())
    try app.register(collection: CasesController())
    try app.register(collection: CasesPages())
    try app.register(collection: HomePages())
}
