// Bootstrap: what an empty database gets on first start — the built-in
// organization tree, flows and the 2014 campaign, the admin user — and, on
// request, demo units and one user per role.
#pragma once

#include <string>

#include "engine/result.h"
#include "storage/writer.h"

namespace jingsai::api {

// The password every demo user gets; listed in the README.
inline constexpr std::string_view kDemoPassword = "jingsai-demo";

struct BootstrapOptions {
  std::string admin_password;  // empty: generate one and log it once
  bool demo = false;
  std::string now;
};

// Idempotent: loads only what is missing. Runs through the writer.
engine::Status Bootstrap(storage::Writer& writer, const BootstrapOptions& options);

}  // namespace jingsai::api
