// Health and the OpenAPI description: the only routes that need no token.
#include "api/embedded_files.h"
#include "api/handlers/handlers.h"
#include "api/json_codec.h"

namespace jingsai::api {

std::string_view ApiFile(std::string_view name) {
  for (const EmbeddedFile& file : ApiFiles()) {
    if (file.name == name) return file.contents;
  }
  return {};
}

void RegisterSystemRoutes(Router& router, App&) {
  router.Add("GET", "/healthz", [](Request, PathParams, Respond respond) {
    Response response;
    response.body = R"({"status":"ok"})";
    response.headers.emplace_back("Cache-Control", "no-store");
    respond(std::move(response));
  });
  router.Add("GET", "/api/v1/openapi.json", [](Request, PathParams, Respond respond) {
    Response response;
    response.body = std::string(ApiFile("openapi.json"));
    respond(std::move(response));
  });
}

}  // namespace jingsai::api
