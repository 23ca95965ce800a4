#include "tests/crash/worker.h"

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <thread>

namespace jingsai::crash {
namespace {

enum class Who { kSubmitter, kCounty, kCity };

struct ScriptStep {
  const char* action;
  const char* stage;  // the report's stage after the step
  Who who;
};

// One report's way through the county flow, with one return from the city.
constexpr ScriptStep kScript[] = {
    {"create", "draft", Who::kSubmitter},         {"attach", "draft", Who::kSubmitter},
    {"submit", "county_review", Who::kSubmitter}, {"approve", "city_review", Who::kCounty},
    {"return", "county_review", Who::kCity},      {"approve", "city_review", Who::kCounty},
    {"approve", "approved", Who::kCity},
};
constexpr size_t kScriptLength = sizeof kScript / sizeof kScript[0];

std::string Path(int64_t id, const std::string& suffix = "") {
  return "/api/v1/submissions/" + std::to_string(id) + suffix;
}

std::string ReportBody(const std::string& org, int index) {
  boost::json::object data{
      {"indicators", {{"proposals_submitted", 1200}, {"proposals_implemented", 800}}},
      {"competitions", {"tech_innovation"}},
      {"narrative",
       "本单位开展职工技术创新和班组竞赛活动，全年收集合理化建议一千二百件，已实施八百件，"
       "取得了良好的经济效益和社会效益。"}};
  return boost::json::serialize(boost::json::object{
      {"campaign", "leshan-2014"},
      {"org", org},
      {"title", "2014年劳动竞赛情况报告（客户端" + std::to_string(index) + "）"},
      {"data", std::move(data)}});
}

// The version an answer's ETag names, or -1.
int64_t EtagVersion(const Answer& answer) {
  std::string etag = answer.Header("etag");
  if (etag.size() < 3 || etag.front() != '"' || etag.back() != '"') return -1;
  try {
    return std::stoll(etag.substr(1, etag.size() - 2));
  } catch (const std::exception&) {
    return -1;
  }
}

std::string Text(const boost::json::value& value, const char* key) {
  const boost::json::object* object = value.if_object();
  const boost::json::value* found = object ? object->if_contains(key) : nullptr;
  return found && found->is_string() ? std::string(found->as_string()) : "";
}

int64_t Number(const boost::json::value& value, const char* key) {
  const boost::json::object* object = value.if_object();
  const boost::json::value* found = object ? object->if_contains(key) : nullptr;
  return found && found->is_int64() ? found->as_int64() : -1;
}

}  // namespace

std::string Worker::NewKey() {
  return "crash-w" + std::to_string(index_) + "-" + std::to_string(random_()) + "-" +
         std::to_string(++keys_);
}

bool Worker::Fail(std::string why) {
  failure_ = "client " + std::to_string(index_) + ": " + std::move(why);
  return false;
}

Answer Worker::Send(size_t index, const std::string& key,
                    const std::map<std::string, std::string>& extra) {
  const ScriptStep& step = kScript[index];
  const std::string& token = step.who == Who::kSubmitter ? users_.submitter_token
                             : step.who == Who::kCounty  ? users_.county_token
                                                         : users_.city_token;
  std::map<std::string, std::string> headers = extra;
  if (!key.empty()) headers["Idempotency-Key"] = key;
  if (index == 0) {
    return client_.Send("POST", "/api/v1/submissions", ReportBody(users_.org, index_), token,
                        headers);
  }
  int64_t id = reports_.back().id;
  if (index == 1) {
    headers["Content-Type"] = "application/pdf";
    return client_.Send("POST", Path(id, "/evidence?kind=document&filename=summary.pdf"),
                        "%PDF-1.4\n% summary\n%%EOF\n", token, headers);
  }
  boost::json::object body{{"action", step.action}};
  if (std::string(step.action) == "return") {
    body["to"] = "county_review";
    body["comment"] = "请补充佐证材料";
  }
  return client_.Send("POST", Path(id, "/actions"), boost::json::serialize(body), token, headers);
}

bool Worker::Acknowledge(size_t index, const Answer& answer, Tally& tally) {
  const ScriptStep& script = kScript[index];
  if (!answer.ok()) {
    return Fail(std::string(script.action) + " answered " + std::to_string(answer.status) + ": " +
                answer.body);
  }
  if (index == 0) reports_.push_back(Report{Number(answer.json, "id"), {}});
  Report& report = reports_.back();
  int64_t version = EtagVersion(answer);
  if (report.id <= 0 || version != static_cast<int64_t>(report.steps.size()) + 1) {
    return Fail(std::string(script.action) + " of report " + std::to_string(report.id) +
                " answered version " + std::to_string(version) + " after " +
                std::to_string(report.steps.size()) + " steps");
  }
  std::string stage = Text(answer.json, "stage");
  if (!stage.empty() && stage != script.stage) {
    return Fail(std::string(script.action) + " left report " + std::to_string(report.id) + " at " +
                stage + ", not " + script.stage);
  }
  report.steps.push_back(Step{script.action, script.stage, version});
  report.changed = true;
  ++tally.acknowledged;
  return true;
}

bool Worker::Probe(const std::atomic<bool>& killed, Tally& tally) {
  const Report& report = reports_.back();
  std::string stale = "\"" + std::to_string(report.steps.size() - 1) + "\"";
  Answer answer = Send(report.steps.size(), "", {{"If-Match", stale}});
  if (!answer.answered()) return true;  // refused or not, a retry would be refused too
  if (answer.status != 412) {
    if (killed) return true;
    return Fail("approve with stale If-Match " + stale + " answered " +
                std::to_string(answer.status) + ": " + answer.body);
  }
  ++tally.refused;
  return true;
}

bool Worker::Run(unsigned short port, const std::atomic<bool>& killed, Tally& tally) {
  client_.Connect(port);
  for (;;) {
    if (!in_flight_) {
      bool fresh = reports_.empty() || reports_.back().steps.size() == kScriptLength;
      size_t next = fresh ? 0 : reports_.back().steps.size();
      // The county's approvals are where a stale copy would do harm.
      if ((next == 3 || next == 5) && random_() % 4 == 0 && !Probe(killed, tally)) return false;
      in_flight_ = InFlight{next, NewKey(), std::nullopt};
    }
    Answer answer = Send(in_flight_->script_index, in_flight_->key, {});
    while (!answer.answered()) {
      if (killed) return true;  // stays in flight until the server is back
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      answer = Send(in_flight_->script_index, in_flight_->key, {});
    }
    if (in_flight_->committed) {
      bool replayed = answer.Header("idempotent-replayed") == "true";
      if (replayed != *in_flight_->committed) {
        return Fail(std::string("retried ") + kScript[in_flight_->script_index].action +
                    (*in_flight_->committed ? " was committed but acted again"
                                            : " was not committed but was replayed"));
      }
    }
    if (!Acknowledge(in_flight_->script_index, answer, tally)) return false;
    in_flight_.reset();
  }
}

bool Worker::Check(unsigned short port, Tally& tally, size_t sample, bool every_report) {
  client_.Connect(port);
  if (in_flight_) in_flight_->committed.reset();
  // Reports that did not change were checked before; a sample of them (and
  // every one at the end) shows that later crashes did not take them back.
  std::vector<size_t> chosen;
  std::vector<size_t> unchanged;
  for (size_t r = 0; r < reports_.size(); ++r) {
    bool last = r + 1 == reports_.size();
    (every_report || reports_[r].changed || last ? chosen : unchanged).push_back(r);
  }
  std::shuffle(unchanged.begin(), unchanged.end(), random_);
  unchanged.resize(std::min(sample, unchanged.size()));
  chosen.insert(chosen.end(), unchanged.begin(), unchanged.end());
  for (size_t r : chosen) {
    if (!CheckReport(r, tally)) return false;
    reports_[r].changed = false;
  }
  return true;
}

bool Worker::CheckReport(size_t r, Tally& tally) {
  const Report& report = reports_[r];
  // The step in flight at the kill may or may not have been committed.
  bool may_have_one_more = in_flight_ && in_flight_->script_index != 0 && r + 1 == reports_.size();
  Answer item = client_.Send("GET", Path(report.id), "", users_.submitter_token);
  Answer history =
      client_.Send("GET", Path(report.id, "/history?limit=500"), "", users_.submitter_token);
  if (item.status != 200 || history.status != 200) {
    return Fail("report " + std::to_string(report.id) + " answered " + std::to_string(item.status) +
                "/" + std::to_string(history.status));
  }
  const boost::json::array& rows = history.json.at("items").as_array();
  size_t acknowledged = report.steps.size();
  bool one_more = rows.size() == acknowledged + 1 && may_have_one_more;
  if (rows.size() != acknowledged && !one_more) {
    return Fail("report " + std::to_string(report.id) + " has " + std::to_string(rows.size()) +
                " history rows for " + std::to_string(acknowledged) + " acknowledged steps");
  }
  for (size_t i = 0; i < rows.size(); ++i) {
    const boost::json::value& row = rows[i];
    const ScriptStep& expected = kScript[i];
    if (Number(row, "seq") != static_cast<int64_t>(i) + 1 ||
        Text(row, "action") != expected.action || Text(row, "to") != expected.stage) {
      return Fail("report " + std::to_string(report.id) + " history row " + std::to_string(i + 1) +
                  " is " + boost::json::serialize(row) + ", expected " + expected.action + " to " +
                  expected.stage);
    }
  }
  if (Number(item.json, "version") != static_cast<int64_t>(rows.size()) ||
      Text(item.json, "stage") != Text(rows.back(), "to")) {
    return Fail("report " + std::to_string(report.id) + " is at version " +
                std::to_string(Number(item.json, "version")) + " stage " +
                Text(item.json, "stage") + " with " + std::to_string(rows.size()) +
                " history rows ending at " + Text(rows.back(), "to"));
  }
  if (may_have_one_more) {
    in_flight_->committed = one_more;
    ++(one_more ? tally.in_flight_kept : tally.in_flight_dropped);
  }
  tally.verified += static_cast<int64_t>(acknowledged);

  return true;
}

}  // namespace jingsai::crash
