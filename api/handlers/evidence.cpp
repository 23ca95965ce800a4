// Evidence (佐证材料): files attached to a report while it is being edited,
// stored once by SHA-256, served back to those who may see the report.
#include "storage/evidence.h"

#include <boost/json.hpp>

#include "api/errors.h"
#include "api/handlers/common.h"
#include "api/handlers/handlers.h"
#include "api/handlers/stage_entry.h"
#include "api/json_codec.h"
#include "api/response_text.h"
#include "api/write.h"
#include "engine/file_type.h"
#include "engine/report_diff.h"
#include "engine/text.h"
#include "engine/transition.h"
#include "storage/history.h"
#include "storage/items.h"
#include "storage/sha256.h"

namespace jingsai::api {
namespace {

engine::Error UnsupportedType(std::string message) {
  return {engine::ErrorCode::kUnsupportedMediaType, std::move(message), {}};
}

boost::json::object EncodeEvidence(const storage::EvidenceRecord& record) {
  boost::json::object json = engine::EncodeEvidenceInfo(record.info);
  json["id"] = record.id;
  json["created_at"] = record.created_at;
  json["url"] = "/api/v1/evidence/" + record.info.sha256;
  return json;
}

// The declared media type without parameters, in lower case.
std::string DeclaredType(const Request& request) {
  std::string type = MediaTypeOf(request.Header("content-type").value_or(""));
  // A media type is printable ASCII; anything else is named by a placeholder,
  // never echoed into the (UTF-8 JSON) answer.
  for (char c : type) {
    if (c < 0x21 || c > 0x7E) return "（无效的类型）";
  }
  // A name many clients give JPEG files, though not the registered one.
  if (type == "image/jpg" || type == "image/pjpeg") return "image/jpeg";
  return type;
}

// Why `filename` cannot name a file that people save and open, if it cannot:
// it is shown in lists and history and offered on download.
std::optional<std::string> FilenameProblem(std::string_view filename) {
  if (filename.empty()) return "缺少文件名";
  if (filename.size() > 255) return "文件名过长";
  if (engine::IsBlank(filename) || filename == "." || filename == "..") return "文件名无效";
  for (char c : filename) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) return "文件名不能含有控制字符";
    if (c == '/' || c == '\\') return "文件名不能含有路径分隔符（/ 或 \\）";
  }
  return std::nullopt;
}

// Checks the upload and describes it; the real type comes from the bytes.
engine::Result<engine::EvidenceInfo> DescribeUpload(const Request& request) {
  FieldReader fields{boost::json::object{}};
  engine::EvidenceInfo info;
  info.filename = request.Query("filename").value_or("");
  info.kind = request.Query("kind").value_or("");
  info.ref = request.Query("ref").value_or("");
  if (std::optional<std::string> problem = FilenameProblem(info.filename)) {
    fields.Problem("filename", *problem);
  }
  if (!engine::IsKnownEvidenceKind(info.kind)) {
    fields.Problem("kind", "须为 photo、document、certificate 或 patent_receipt");
  }
  if (request.body.empty()) fields.Problem("body", "文件内容为空");
  if (engine::Status status = fields.Finish(); !status.ok()) return std::move(status).error();

  std::optional<std::string> sniffed = engine::SniffContentType(request.body);
  if (!sniffed) {
    return UnsupportedType("不支持的文件类型：只接受 JPEG、PNG、PDF、DOCX、XLSX");
  }
  std::string declared = DeclaredType(request);
  if (!declared.empty() && declared != "application/octet-stream" && declared != *sniffed) {
    return UnsupportedType("文件内容（" + *sniffed + "）与声明的类型（" + declared + "）不符");
  }
  if (!engine::IsAllowedForKind(info.kind, *sniffed)) {
    return UnsupportedType("照片须为 JPEG 或 PNG 图片");
  }
  info.content_type = *sniffed;
  info.size = static_cast<int64_t>(request.body.size());
  info.sha256 = storage::Sha256Hex(request.body);
  return info;
}

// Loads an item the actor may change the evidence of: visible, at an edit
// stage, the stage's actor, and at the version the client names (if any).
engine::Result<storage::ItemRecord> LoadEditableItem(App& app, storage::Database& db, int64_t id,
                                                     const engine::Actor& actor,
                                                     const IfMatch& expected) {
  // Taken for the evidence step that writes it (RecordEvidenceStep).
  engine::Result<storage::ItemRecord> item =
      LoadVisibleItem(app, db, id, storage::kKindSubmission, actor, storage::LoadFor::kStep);
  if (!item.ok()) return item;
  if (engine::Status holds = expected.Check(item->instance.version); !holds.ok()) {
    return std::move(holds).error();
  }
  storage::FlowPtr flow = app.catalog().Flow(item->flow_key, item->flow_version);
  if (flow == nullptr) return engine::Error::Internal("flow of item is missing");
  engine::Status editable = engine::CheckEdit(*flow, *app.catalog().orgs(), item->instance, actor);
  if (!editable.ok()) {
    if (editable.error().code == engine::ErrorCode::kInvalidAction) {
      return engine::Error::InvalidAction("报送已提交审核，审核期间不能增删佐证材料；退回后可修改");
    }
    return std::move(editable).error();
  }
  return item;
}

}  // namespace

// Records an evidence change as a step of the item: a new version and a history row.
engine::Status RecordEvidenceStep(App& app, storage::Database& db, storage::ItemRecord& item,
                                  const engine::Actor& actor, const std::string& action,
                                  const std::string& what) {
  int64_t previous = item.instance.version;
  item.instance.version += 1;
  item.updated_at = app.NowText();
  engine::Fact fact{action, item.instance.stage, item.instance.stage, what};
  engine::Result<storage::HistoryRecord> row =
      storage::AppendHistory(db, item, fact, actor.user_id, actor.username, item.updated_at);
  if (!row.ok()) return std::move(row).error();
  if (engine::Status status = storage::UpdateItem(db, item, previous); !status.ok()) return status;
  // Kept for the item's next step (the submit after an upload): a copy, as
  // the caller still answers from `item`.
  storage::KeepWrittenStep(db, item);
  return engine::Ok{};
}

namespace {

void Upload(App& app, Request request, const std::string& id_text, Respond respond) {
  std::optional<Principal> principal = RequirePrincipal(app, request, respond);
  if (!principal) return;
  std::optional<int64_t> id = ParseId(id_text);
  if (!id) return RespondError(respond, engine::Error::NotFound("没有这个事项：" + id_text));
  engine::Result<IfMatch> if_match = IfMatch::From(request);
  if (!if_match.ok()) return RespondError(respond, if_match.error());
  engine::Result<engine::EvidenceInfo> info = DescribeUpload(request);
  if (!info.ok()) return RespondError(respond, info.error());

  auto bytes = std::make_shared<const std::string>(request.body);
  ExecuteWrite(
      app, request, *principal,
      [&app, id = *id, actor = principal->actor, expected = if_match.value(),
       info = std::move(info).value(), bytes](storage::Database& db) -> engine::Result<Response> {
        engine::Result<storage::ItemRecord> item = LoadEditableItem(app, db, id, actor, expected);
        if (!item.ok()) return std::move(item).error();
        std::string now = app.NowText();
        if (engine::Status s = storage::PutBlob(db, info.sha256, *bytes, info.content_type, now);
            !s.ok()) {
          return std::move(s).error();
        }
        storage::EvidenceRecord record{0, id, info, now, actor.user_id};
        engine::Result<int64_t> evidence_id = storage::InsertEvidence(db, record);
        if (!evidence_id.ok()) return std::move(evidence_id).error();
        record.id = evidence_id.value();
        engine::Status step = RecordEvidenceStep(app, db, item.value(), actor, "attach",
                                                 info.filename + " (" + info.sha256 + ")");
        if (!step.ok()) return std::move(step).error();
        Response response = JsonResponse(201, EncodeEvidence(record));
        response.headers.emplace_back("ETag", VersionETag(item->instance.version));
        return response;
      },
      std::move(respond));
}

void Remove(App& app, Request request, const std::string& id_text, const std::string& evidence_text,
            Respond respond) {
  std::optional<Principal> principal = RequirePrincipal(app, request, respond);
  if (!principal) return;
  std::optional<int64_t> id = ParseId(id_text);
  std::optional<int64_t> evidence_id = ParseId(evidence_text);
  if (!id || !evidence_id)
    return RespondError(respond, engine::Error::NotFound("没有这个佐证材料"));
  engine::Result<IfMatch> if_match = IfMatch::From(request);
  if (!if_match.ok()) return RespondError(respond, if_match.error());
  ExecuteWrite(
      app, request, *principal,
      [&app, id = *id, evidence_id = *evidence_id, actor = principal->actor,
       expected = if_match.value()](storage::Database& db) -> engine::Result<Response> {
        engine::Result<storage::ItemRecord> item = LoadEditableItem(app, db, id, actor, expected);
        if (!item.ok()) return std::move(item).error();
        engine::Result<std::optional<storage::EvidenceRecord>> found =
            storage::FindEvidence(db, id, evidence_id);
        if (!found.ok()) return std::move(found).error();
        if (!found.value()) return engine::Error::NotFound("没有这个佐证材料");
        if (engine::Status s =
                storage::MarkEvidenceRemoved(db, id, evidence_id, actor.user_id, app.NowText());
            !s.ok()) {
          return std::move(s).error();
        }
        const engine::EvidenceInfo& info = found.value()->info;
        engine::Status step = RecordEvidenceStep(app, db, item.value(), actor, "detach",
                                                 info.filename + " (" + info.sha256 + ")");
        if (!step.ok()) return std::move(step).error();
        Response response;
        response.status = 204;
        response.headers.emplace_back("ETag", VersionETag(item->instance.version));
        return response;
      },
      std::move(respond));
}

void List(App& app, Request request, const std::string& id_text, Respond respond) {
  std::optional<VisibleRead> read =
      ReadVisibleItem(app, request, id_text, storage::kKindSubmission, respond);
  if (!read) return;
  engine::Result<PageRequest> page = ParsePage(request);
  if (!page.ok()) return RespondError(respond, page.error());
  storage::Database& db = *read->db;
  const storage::ItemRecord& item = read->item;
  engine::Result<std::vector<storage::EvidenceRecord>> records =
      storage::ListEvidence(db, item.instance.id);
  if (!records.ok()) return RespondError(respond, records.error());
  // Oldest first, paged by evidence id.
  boost::json::array items;
  std::optional<std::string> next;
  int64_t last_id = 0;
  for (const storage::EvidenceRecord& record : records.value()) {
    if (page->cursor && record.id <= *page->cursor) continue;
    if (static_cast<int>(items.size()) == page->limit) {
      next = std::to_string(last_id);
      break;
    }
    items.push_back(EncodeEvidence(record));
    last_id = record.id;
  }
  respond(PageResponse(std::move(items), next));
}

// One evidence file's record, for readers of the report (the bytes are at its url).
void Show(App& app, Request request, const std::string& id_text, const std::string& evidence_text,
          Respond respond) {
  std::optional<VisibleRead> read =
      ReadVisibleItem(app, request, id_text, storage::kKindSubmission, respond);
  if (!read) return;
  std::optional<int64_t> evidence_id = ParseId(evidence_text);
  if (!evidence_id) return RespondError(respond, engine::Error::NotFound("没有这个佐证材料"));
  engine::Result<std::optional<storage::EvidenceRecord>> found =
      storage::FindEvidence(*read->db, read->item.instance.id, *evidence_id);
  if (!found.ok()) return RespondError(respond, found.error());
  if (!found.value()) return RespondError(respond, engine::Error::NotFound("没有这个佐证材料"));
  respond(JsonResponse(200, EncodeEvidence(*found.value())));
}

bool IsSha256Hex(const std::string& text) {
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

// RFC 5987: the UTF-8 file name, percent-encoded, so Chinese names survive.
std::string ContentDisposition(const std::string& filename) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string encoded;
  for (unsigned char c : filename) {
    if (std::isalnum(c) || c == '.' || c == '-' || c == '_') {
      encoded += static_cast<char>(c);
    } else {
      encoded += '%';
      encoded += kHex[c >> 4];
      encoded += kHex[c & 15];
    }
  }
  return "inline; filename*=UTF-8''" + encoded;
}

// The headers of a download, also those of its 304.
Response DownloadHeads(const std::string& sha256, const std::string& filename) {
  Response response;
  response.headers.emplace_back("ETag", "\"" + sha256 + "\"");
  response.headers.emplace_back("Cache-Control", "private, max-age=31536000, immutable");
  response.headers.emplace_back("Content-Disposition", ContentDisposition(filename));
  response.headers.emplace_back("Content-Security-Policy", "default-src 'none'; sandbox");
  return response;
}

void Download(App& app, Request request, const std::string& sha256, Respond respond) {
  std::optional<Principal> principal = RequirePrincipal(app, request, respond);
  if (!principal) return;
  engine::Error missing = engine::Error::NotFound("没有这个文件");
  if (!IsSha256Hex(sha256)) return RespondError(respond, missing);
  storage::ReaderPool::Lease db = app.readers().Acquire();
  engine::Result<std::vector<int64_t>> holders = storage::ItemsHoldingBlob(*db, sha256);
  if (!holders.ok()) return RespondError(respond, holders.error());
  std::string filename;
  for (int64_t item_id : holders.value()) {
    engine::Result<storage::ItemRecord> item =
        LoadVisibleItem(app, *db, item_id, storage::kKindSubmission, principal->actor);
    if (!item.ok()) continue;
    engine::Result<std::vector<storage::EvidenceRecord>> records =
        storage::ListEvidence(*db, item_id);
    if (!records.ok()) return RespondError(respond, records.error());
    for (const storage::EvidenceRecord& record : records.value()) {
      if (record.info.sha256 == sha256) filename = record.info.filename;
    }
    if (!filename.empty()) break;
  }
  if (filename.empty()) return RespondError(respond, missing);
  // The bytes of a hash never change: a client that holds them gets a 304,
  // once it is known that it may see them.
  std::optional<std::string> if_none_match = request.Header("if-none-match");
  if (if_none_match && IfNoneMatchNames(*if_none_match, "\"" + sha256 + "\"")) {
    Response unchanged = DownloadHeads(sha256, filename);
    unchanged.status = 304;
    return respond(std::move(unchanged));
  }
  engine::Result<std::optional<storage::Blob>> blob = storage::GetBlob(*db, sha256);
  if (!blob.ok()) return RespondError(respond, blob.error());
  if (!blob.value()) return RespondError(respond, missing);
  // The hash is the file's identity: bytes that no longer match it are never served.
  if (storage::Sha256Hex(blob.value()->data) != sha256) {
    return respond(InternalErrorResponse("stored evidence " + sha256 + " does not match its hash"));
  }
  Response response = DownloadHeads(sha256, filename);
  response.content_type = blob.value()->content_type;
  response.body = std::move(blob.value()->data);
  respond(std::move(response));
}

}  // namespace

void RegisterEvidenceRoutes(Router& router, App& app) {
  router.Add("POST", "/api/v1/submissions/{id}/evidence",
             [&app](Request request, PathParams params, Respond respond) {
               Upload(app, std::move(request), params["id"], std::move(respond));
             });
  router.Add("GET", "/api/v1/submissions/{id}/evidence",
             [&app](Request request, PathParams params, Respond respond) {
               List(app, std::move(request), params["id"], std::move(respond));
             });
  router.Add("GET", "/api/v1/submissions/{id}/evidence/{evidence_id}",
             [&app](Request request, PathParams params, Respond respond) {
               Show(app, std::move(request), params["id"], params["evidence_id"],
                    std::move(respond));
             });
  router.Add("DELETE", "/api/v1/submissions/{id}/evidence/{evidence_id}",
             [&app](Request request, PathParams params, Respond respond) {
               Remove(app, std::move(request), params["id"], params["evidence_id"],
                      std::move(respond));
             });
  router.Add("GET", "/api/v1/evidence/{sha256}",
             [&app](Request request, PathParams params, Respond respond) {
               Download(app, std::move(request), params["sha256"], std::move(respond));
             });
}

}  // namespace jingsai::api
