// One client of the crash harness: it takes reports of one unit through the
// county flow (create, attach, submit, approve, return, approve, approve),
// one step at a time, every step a POST with its own Idempotency-Key, and
// remembers each step the server acknowledged (2xx). Now and then it sends a
// step that must be refused (a stale If-Match), which must leave nothing.
//
// After a crash it first checks, from the restarted server, that its reports
// hold exactly the acknowledged steps (plus, at most, the one step that was in
// flight when the server died), then retries that step with the same key: a
// step that was committed must be replayed, one that was not must act now.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "tests/crash/http_client.h"

namespace jingsai::crash {

struct Users {
  std::string submitter_token;
  std::string county_token;
  std::string city_token;
  std::string org;
};

struct Tally {
  int64_t acknowledged = 0;       // steps answered 2xx
  int64_t refused = 0;            // probes answered 4xx, as they must be
  int64_t in_flight_kept = 0;     // unanswered at the kill, found committed
  int64_t in_flight_dropped = 0;  // unanswered at the kill, found absent
  int64_t verified = 0;           // acknowledged steps found in place, summed over checks
};

class Worker {
 public:
  Worker(int index, Users users, uint64_t seed) : index_(index), users_(users), random_(seed) {}

  // Retries the step in flight at the last kill, then steps until the server
  // stops answering. Returns false (with `failure`) on an answer that breaks
  // the contract.
  bool Run(unsigned short port, const std::atomic<bool>& killed, Tally& tally);

  // Checks reports against the acknowledged steps over HTTP: those that
  // changed since the last check and `sample` of the others, or every one.
  bool Check(unsigned short port, Tally& tally, size_t sample, bool every_report = false);

  const std::string& failure() const { return failure_; }

 private:
  struct Step {
    std::string action;
    std::string stage;  // where the step leaves the report
    int64_t version = 0;
  };
  struct Report {
    int64_t id = 0;
    std::vector<Step> steps;
    bool changed = true;  // since the last check
  };
  bool CheckReport(size_t r, Tally& tally);
  struct InFlight {
    size_t script_index = 0;
    std::string key;
    std::optional<bool> committed;  // what Check found after the restart
  };

  // Sends script step `index` of the current report; returns the answer.
  Answer Send(size_t index, const std::string& key,
              const std::map<std::string, std::string>& extra);
  // Records an acknowledged answer to script step `index`.
  bool Acknowledge(size_t index, const Answer& answer, Tally& tally);
  // A stale If-Match approve: must be refused and leave nothing behind.
  bool Probe(const std::atomic<bool>& killed, Tally& tally);
  bool Fail(std::string why);
  std::string NewKey();

  int index_;
  Users users_;
  std::mt19937_64 random_;
  HttpClient client_;
  std::vector<Report> reports_;
  std::optional<InFlight> in_flight_;
  int64_t keys_ = 0;
  std::string failure_;
};

}  // namespace jingsai::crash
