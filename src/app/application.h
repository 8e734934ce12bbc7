// The composition root: the only place that chooses and constructs concrete adapters (SQLite
// store, Beast server, system clock) and hands them to the domain services and the router.
#pragma once

#include <memory>

#include "app/config.h"

namespace aimoviez {

class Application {
 public:
  explicit Application(Config config);
  ~Application();

  // Runs the server until SIGINT/SIGTERM; returns the process exit code.
  int Serve();
  int Migrate();
  int SeedDemo();
  int SetAdmin(const std::string& email, bool is_admin);
  int RunAutoAdvanceOnce();

 private:
  struct Parts;
  std::unique_ptr<Parts> parts_;
};

}  // namespace aimoviez
