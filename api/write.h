// ExecuteWrite: how every state-changing request reaches the single writer.
//
// The work runs inside the writer's batch transaction and builds its answer
// there, so that an Idempotency-Key can store that very answer in the same
// transaction: a retry with the same key gets the first answer and acts
// nothing. The caller is answered after the commit is durable.
#pragma once

#include <functional>

#include "api/app.h"
#include "api/auth.h"
#include "api/http_types.h"
#include "engine/result.h"
#include "storage/sqlite.h"

namespace jingsai::api {

using WriteWork = std::function<engine::Result<Response>(storage::Database&)>;

// `after_commit` runs once the work's changes are durable (e.g. to update the
// catalog); not on a replayed answer, nor on failure.
void ExecuteWrite(App& app, const Request& request, const Principal& principal, WriteWork work,
                  Respond respond, std::function<void()> after_commit = {});

}  // namespace jingsai::api
