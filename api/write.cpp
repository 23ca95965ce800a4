#include "api/write.h"

#include <boost/json.hpp>
#include <chrono>
#include <memory>
#include <optional>

#include "api/errors.h"
#include "engine/time_format.h"
#include "storage/sha256.h"

namespace jingsai::api {
namespace {

using namespace std::chrono_literals;

// A retry within a week gets the first answer; after that the key is free.
constexpr auto kKeyRetention = 7 * 24h;
// Every this many stored answers, the same transaction deletes the expired
// keys (an index range, so the cost does not grow with the table).
constexpr uint64_t kPurgeEvery = 256;

struct Outcome {
  std::optional<Response> response;
  bool replayed = false;
};

std::string EncodeHeaders(const Response& response) {
  boost::json::array headers;
  for (const auto& [name, value] : response.headers) headers.push_back({name, value});
  return boost::json::serialize(headers);
}

void DecodeHeaders(const std::string& text, Response& response) {
  boost::system::error_code ec;
  boost::json::value headers = boost::json::parse(text, ec);
  if (ec || !headers.is_array()) return;
  for (const boost::json::value& header : headers.as_array()) {
    const boost::json::array* pair = header.if_array();
    if (pair == nullptr || pair->size() != 2 || !(*pair)[0].is_string() ||
        !(*pair)[1].is_string()) {
      continue;
    }
    response.headers.emplace_back(std::string((*pair)[0].as_string()),
                                  std::string((*pair)[1].as_string()));
  }
}

// The stored answer for (user, key), if any; kConflict when the key was used
// for a different request.
engine::Result<std::optional<Response>> FindStored(storage::Database& db, int64_t user_id,
                                                   const std::string& key,
                                                   const std::string& request_hash) {
  storage::Query query = db.Prepare(
      "SELECT request_hash, status, headers, body FROM idempotency_keys "
      "WHERE user_id = ? AND key = ?");
  query->Bind(1, user_id).Bind(2, key);
  engine::Result<bool> row = query->Step();
  if (!row.ok()) return std::move(row).error();
  if (!row.value()) return std::optional<Response>();
  if (query->Text(0) != request_hash) {
    return engine::Error::Conflict("该 Idempotency-Key 已用于另一个请求");
  }
  Response response;
  response.status = static_cast<int>(query->Int(1));
  DecodeHeaders(query->Text(2), response);
  response.body = query->Text(3);
  return std::optional<Response>(std::move(response));
}

engine::Status Store(storage::Database& db, int64_t user_id, const std::string& key,
                     const std::string& request_hash, const Response& response,
                     const std::string& at) {
  storage::Query query = db.Prepare(
      "INSERT INTO idempotency_keys (user_id, key, request_hash, status, headers, body, "
      "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
  query->Bind(1, user_id)
      .Bind(2, key)
      .Bind(3, request_hash)
      .Bind(4, response.status)
      .Bind(5, EncodeHeaders(response))
      .Bind(6, response.body)
      .Bind(7, at);
  return query->Run();
}

engine::Status PurgeKeysBefore(storage::Database& db, const std::string& cutoff) {
  storage::Query query = db.Prepare("DELETE FROM idempotency_keys WHERE created_at < ?");
  query->Bind(1, cutoff);
  return query->Run();
}

}  // namespace

void ExecuteWrite(App& app, const Request& request, const Principal& principal, WriteWork work,
                  Respond respond, std::function<void()> after_commit) {
  std::optional<std::string> key;
  if (request.method == "POST") key = request.Header("idempotency-key");
  if (key && (key->empty() || key->size() > 255)) {
    respond(ErrorResponse(engine::Error::BadRequest("Idempotency-Key 须为 1 到 255 个字符",
                                                    {{"Idempotency-Key", "长度无效", ""}})));
    return;
  }
  std::string request_hash;
  if (key) {
    // The query is part of the request (an upload's filename and kind live there).
    std::string canonical = request.method + "\n" + request.path + "\n";
    for (const auto& [name, value] : request.query) {
      canonical += std::to_string(name.size()) + ":" + name + "=" + std::to_string(value.size()) +
                   ":" + value + "&";
    }
    request_hash = storage::Sha256Hex(canonical + "\n" + request.body);
  }
  auto outcome = std::make_shared<Outcome>();
  int64_t user_id = principal.user.id;
  std::string now = app.NowText();
  std::string purge_before;
  if (key && app.CountIdempotentStore() % kPurgeEvery == 0) {
    purge_before = engine::FormatTime(app.Now() - kKeyRetention);
  }

  auto unit = [outcome, work = std::move(work), key, request_hash, user_id, now,
               purge_before](storage::Database& db) -> engine::Status {
    if (key) {
      engine::Result<std::optional<Response>> stored = FindStored(db, user_id, *key, request_hash);
      if (!stored.ok()) return std::move(stored).error();
      if (stored.value()) {
        outcome->response = std::move(*stored.value());
        outcome->response->headers.emplace_back("Idempotent-Replayed", "true");
        outcome->replayed = true;
        return engine::Ok{};
      }
    }
    engine::Result<Response> answered = work(db);
    if (!answered.ok()) return std::move(answered).error();
    if (key) {
      // The stored answer is the whole answer: render it inside the transaction.
      answered.value().RenderBody();
      engine::Status stored = Store(db, user_id, *key, request_hash, answered.value(), now);
      if (!stored.ok()) return stored;
      if (!purge_before.empty()) {
        if (engine::Status purged = PurgeKeysBefore(db, purge_before); !purged.ok()) return purged;
      }
    }
    outcome->response = std::move(answered).value();
    return engine::Ok{};
  };
  auto done = [outcome, respond = std::move(respond),
               after_commit = std::move(after_commit)](engine::Status status) {
    if (!status.ok()) {
      respond(ErrorResponse(status.error()));
      return;
    }
    if (after_commit && !outcome->replayed) after_commit();
    respond(std::move(*outcome->response));
  };
  app.writer().Submit(std::move(unit), std::move(done));
}

}  // namespace jingsai::api
