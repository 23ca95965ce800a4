// Campaigns: the plan's indicators, targets, deadline and late policy.
#include <boost/json.hpp>

#include "api/errors.h"
#include "api/handlers/common.h"
#include "api/handlers/handlers.h"
#include "api/json_codec.h"
#include "engine/progress.h"
#include "engine/time_format.h"
#include "storage/progress_totals.h"

namespace jingsai::api {
namespace {

boost::json::object EncodeCampaign(const engine::Campaign& campaign) {
  boost::json::object json =
      campaign.source.is_object() ? campaign.source.as_object() : boost::json::object{};
  json["deadline_at"] = engine::FormatTime(campaign.deadline);
  return json;
}

boost::json::object EncodeCampaignSummary(const engine::Campaign& campaign) {
  return {{"key", campaign.key},
          {"title", campaign.title},
          {"deadline", campaign.deadline_date},
          {"timezone", campaign.timezone},
          {"deadline_at", engine::FormatTime(campaign.deadline)},
          {"late_policy", campaign.late_policy == engine::LatePolicy::kFlag ? "flag" : "refuse"}};
}

void ListCampaigns(App& app, Request request, Respond respond) {
  if (!RequirePrincipal(app, request, respond)) return;
  engine::Result<KeyPageRequest> page = ParseKeyPage(request);
  if (!page.ok()) return RespondError(respond, page.error());
  // By key, as the catalog holds them.
  respond(PageOf(
      app.catalog().Campaigns(), page->limit,
      [&page](const storage::CampaignPtr& campaign) {
        return !page->after || campaign->key > *page->after;
      },
      [](const storage::CampaignPtr& campaign) { return campaign->key; },
      [](const storage::CampaignPtr& campaign) { return EncodeCampaignSummary(*campaign); }));
}

void GetCampaign(App& app, Request request, const std::string& key, Respond respond) {
  if (!RequirePrincipal(app, request, respond)) return;
  storage::CampaignPtr campaign = app.catalog().Campaign(key);
  if (campaign == nullptr) return RespondError(respond, engine::Error::NotFound("没有这个活动"));
  respond(JsonResponse(200, EncodeCampaign(*campaign)));
}

// Indicators summed over approved reports, city-wide and per county, from
// the totals kept as reports are approved.
void GetProgress(App& app, Request request, const std::string& key, Respond respond) {
  if (!RequirePrincipal(app, request, respond)) return;
  storage::CampaignPtr campaign = app.catalog().Campaign(key);
  if (campaign == nullptr) return RespondError(respond, engine::Error::NotFound("没有这个活动"));
  engine::Result<std::map<int64_t, engine::IndicatorTotals>> totals =
      storage::LoadTotals(*app.readers().Acquire(), key);
  if (!totals.ok()) return RespondError(respond, totals.error());
  respond(
      JsonResponse(200, engine::BuildProgress(*campaign, *app.catalog().orgs(), totals.value())));
}

}  // namespace

void RegisterCampaignRoutes(Router& router, App& app) {
  router.Add("GET", "/api/v1/campaigns", [&app](Request request, PathParams, Respond respond) {
    ListCampaigns(app, std::move(request), std::move(respond));
  });
  router.Add("GET", "/api/v1/campaigns/{key}",
             [&app](Request request, PathParams params, Respond respond) {
               GetCampaign(app, std::move(request), params["key"], std::move(respond));
             });
  router.Add("GET", "/api/v1/campaigns/{key}/progress",
             [&app](Request request, PathParams params, Respond respond) {
               GetProgress(app, std::move(request), params["key"], std::move(respond));
             });
}

}  // namespace jingsai::api
