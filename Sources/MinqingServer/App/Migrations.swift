import Fluent

/// Every schema change, in order. One type per change; never edit one that has landed.
enum MigrationList {
    static let all: [any Migration] = [
        CreateGridTree(),
        CreateAccounts(),
        CreateAuditLog(),
        CreateRegister(),
        AddOwnerNumbers(),
        CreateImportUploads(),
        CreateVisits(),
        AddTagHolderGridIndex(),
        CreateVoting(),
        AddVisitDayTallies(),
        AuditHeadMovesToARow(),
        CreateCases(),
        SeedCaseCatalogue(),
        AddCaseIndicatorIndex(),
        CreateServices(),
        AddOwnerAccountProof(),
        CreateTopicBoard(),
        CreateOpen311(),
        AddCampaignForms(),
        AddCampaignCheckins(),
        AddPickupSlots(),
        AddVolunteerTeamsAndRewards(),
        CreateDashboardRollups(),
        CreateOrganisations(),
        CreateOversight(),
        AddCaseCategoryStateIndex(),
        AddVisitMonthCounts(),
        AddCompanyAccounts(),
        AddStaffDevelopmentDetails(),
        CreateOrganisationTerms(),
        AddPropertyCompanyStaff(),
        MaskIDNumbersToEnds(),
        CreateIdentityHolds(),
        CreateAidProgrammes(),
        CreateSecondFactor(),
        CreateCorrectionRequests(),
        SnakeCaseStoredTallies()
    ]
}
