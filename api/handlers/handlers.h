// Route registration, one function per resource file.
#pragma once

#include "api/app.h"
#include "api/router.h"

namespace jingsai::api {

void RegisterSystemRoutes(Router& router, App& app);
void RegisterIdentityRoutes(Router& router, App& app);
void RegisterUserRoutes(Router& router, App& app);
void RegisterOrgRoutes(Router& router, App& app);
void RegisterFlowRoutes(Router& router, App& app);
void RegisterCampaignRoutes(Router& router, App& app);
void RegisterSubmissionRoutes(Router& router, App& app);
void RegisterActionRoutes(Router& router, App& app);
void RegisterEvidenceRoutes(Router& router, App& app);
void RegisterListRoutes(Router& router, App& app);
void RegisterNominationRoutes(Router& router, App& app);
void RegisterVoteRoutes(Router& router, App& app);
void RegisterCommendationRoutes(Router& router, App& app);
void RegisterHandoverRoutes(Router& router, App& app);
void RegisterFlowMigrationRoutes(Router& router, App& app);
void RegisterStaticRoutes(Router& router, App& app);

}  // namespace jingsai::api
