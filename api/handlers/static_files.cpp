// The web app (admin-ui/) at /admin/. Every file is embedded in the binary at
// build time, so nothing here touches the file system: a request can only
// ever name one of the embedded files, whatever `..` or encoding it carries.
#include <sodium.h>

#include <map>
#include <string>
#include <string_view>

#include "api/embedded_files.h"
#include "api/errors.h"
#include "api/handlers/handlers.h"
#include "api/response_text.h"

namespace jingsai::api {
namespace {

// No inline script or style, nothing from another origin. Evidence is shown
// through blob: URLs (images, PDFs in a frame), since its bytes need a token.
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; "
    "frame-src 'self' blob:; object-src 'self' blob:; connect-src 'self'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

std::string_view ContentTypeOf(std::string_view name) {
  auto ends_with = [&](std::string_view suffix) {
    return name.size() >= suffix.size() && name.substr(name.size() - suffix.size()) == suffix;
  };
  if (ends_with(".html")) return "text/html; charset=utf-8";
  if (ends_with(".js")) return "text/javascript; charset=utf-8";
  if (ends_with(".css")) return "text/css; charset=utf-8";
  if (ends_with(".svg")) return "image/svg+xml";
  if (ends_with(".json")) return "application/json; charset=utf-8";
  return "text/plain; charset=utf-8";
}

// A strong validator: the first 128 bits of the content's SHA-256.
std::string ContentTag(std::string_view contents) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(contents.data()),
                     contents.size());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string tag = "\"";
  for (size_t i = 0; i < 16; ++i) {
    tag += kHex[digest[i] >> 4];
    tag += kHex[digest[i] & 0xf];
  }
  return tag + "\"";
}

struct StaticFile {
  std::string_view contents;
  std::string_view content_type;
  std::string etag;
};

// Built once, before serving (routes are registered before the first request).
std::map<std::string, StaticFile, std::less<>> BuildCatalog() {
  std::map<std::string, StaticFile, std::less<>> catalog;
  for (const EmbeddedFile& file : AdminUiFiles()) {
    catalog.emplace(std::string(file.name),
                    StaticFile{file.contents, ContentTypeOf(file.name), ContentTag(file.contents)});
  }
  return catalog;
}

Response Serve(const Request& request, const StaticFile& file) {
  Response response;
  response.headers.emplace_back("ETag", file.etag);
  response.headers.emplace_back("Cache-Control", "no-cache");
  response.headers.emplace_back("Content-Security-Policy", std::string(kContentSecurityPolicy));
  response.headers.emplace_back("Referrer-Policy", "no-referrer");
  std::optional<std::string> if_none_match = request.Header("if-none-match");
  if (if_none_match && IfNoneMatchNames(*if_none_match, file.etag)) {
    response.status = 304;
    response.content_type = std::string(file.content_type);
    return response;
  }
  response.content_type = std::string(file.content_type);
  response.body = std::string(file.contents);
  return response;
}

}  // namespace

void RegisterStaticRoutes(Router& router, App&) {
  auto catalog =
      std::make_shared<const std::map<std::string, StaticFile, std::less<>>>(BuildCatalog());
  // "/admin" and "/admin/" are one route (empty segments do not count): the
  // first is sent to the second, so that the app's relative URLs resolve.
  router.Add("GET", "/admin", [catalog](Request request, PathParams, Respond respond) {
    if (request.path.empty() || request.path.back() != '/') {
      Response response;
      response.status = 301;
      response.content_type = "text/plain; charset=utf-8";
      response.headers.emplace_back("Location", "/admin/");
      response.body = "/admin/";
      return respond(std::move(response));
    }
    auto index = catalog->find("index.html");
    if (index == catalog->end()) {
      return respond(ErrorResponse(engine::Error::NotFound("网页管理端未内嵌")));
    }
    respond(Serve(request, index->second));
  });
  router.Add(
      "GET", "/admin/{file}", [catalog](Request request, PathParams params, Respond respond) {
        auto file = catalog->find(params["file"]);
        if (file == catalog->end()) {
          return respond(ErrorResponse(engine::Error::NotFound("没有这个资源：" + request.path)));
        }
        respond(Serve(request, file->second));
      });
}

}  // namespace jingsai::api
