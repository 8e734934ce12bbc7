// aimoviez: one binary, several subcommands (serve, migrate, seed-demo, admin, jobs, backup,
// restore, verify, version).
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <sys/stat.h>

#include <cstdlib>
#include <iostream>
#include <map>

#include "app/application.h"
#include "app/backup.h"
#include "app/config.h"
#include "app/data_migration.h"
#include "app/verify_receipt.h"
#include "net/beast_http_fetcher.h"

namespace {

struct ConfigOptions {
  std::string config_file;
  std::map<std::string, std::string> values;
  bool dev_login = false;
};

// Every configuration key becomes a --flag on the subcommand, e.g. data_dir → --data-dir.
void AddConfigOptions(CLI::App& cmd, ConfigOptions& opts) {
  cmd.add_option("--config", opts.config_file, "TOML configuration file");
  for (const auto& key : aimoviez::ConfigKeys()) {
    std::string flag = "--";
    for (char c : key.name) flag.push_back(c == '_' ? '-' : c);
    if (key.name == "dev_login") {
      cmd.add_flag(flag, opts.dev_login, key.description);
      continue;
    }
    cmd.add_option_function<std::string>(
        flag, [&opts, name = key.name](const std::string& v) { opts.values[name] = v; },
        key.description);
  }
}

aimoviez::Config Resolve(const ConfigOptions& opts) {
  auto flags = opts.values;
  if (opts.dev_login) flags["dev_login"] = "true";
  return aimoviez::LoadConfig(
      opts.config_file.empty() ? std::nullopt : std::optional<std::string>(opts.config_file),
      [](const char* name) { return std::getenv(name); }, flags);
}

}  // namespace

int main(int argc, char** argv) {
  // Everything the server writes (database, secret, media, backups) is for its own user only:
  // files 0600, directories 0700, whatever umask it was started with.
  ::umask(0077);
  CLI::App app{"aimoviez — collaborative movie platform server"};
  app.require_subcommand(1);
  ConfigOptions opts;

  auto* serve = app.add_subcommand("serve", "Run the HTTP server (applies migrations first)");
  auto* migrate = app.add_subcommand("migrate", "Apply pending database migrations");
  auto* seed = app.add_subcommand("seed-demo", "Create the demo seasons, clips and votes (once)");
  auto* admin = app.add_subcommand("admin", "Manage administrators");
  admin->require_subcommand(1);
  std::string email;
  auto* grant =
      admin->add_subcommand("grant", "Give EMAIL admin rights (creates the account if new)");
  grant->add_option("email", email, "Account email")->required();
  auto* revoke = admin->add_subcommand("revoke", "Remove admin rights from EMAIL");
  revoke->add_option("email", email, "Account email")->required();
  auto* jobs = app.add_subcommand("jobs", "Run a background job once");
  jobs->require_subcommand(1);
  auto* advance = jobs->add_subcommand("auto-advance", "Close every expired voting slot now");
  std::string backup_dir;
  auto* backup = app.add_subcommand(
      "backup",
      "Copy the data directory (database snapshot, media, secret) into DEST while serving");
  backup->add_option("dest", backup_dir, "An empty or new directory")->required();
  auto* restore = app.add_subcommand(
      "restore", "Fill an empty data directory (--data-dir) from a backup made by `backup`");
  restore->add_option("source", backup_dir, "The backup directory")->required();
  std::string migrate_from, migrate_to;
  auto* migrate_data = app.add_subcommand(
      "migrate-data",
      "Copy an embedded platform's records into PostgreSQL (cluster mode); safe to run again");
  migrate_data->add_option("--from", migrate_from, "sqlite:PATH of the embedded database")
      ->required();
  migrate_data->add_option("--to", migrate_to, "postgresql://… of the target database")->required();
  std::string verify_server, receipt_file;
  auto* verify = app.add_subcommand(
      "verify", "Check a vote's receipt against a server's published round log (RFC 9162)");
  verify->add_option("--server", verify_server, "The server's base URL")->required();
  verify->add_option("--receipt", receipt_file, "A receipt (JSON) as a vote's answer gave it")
      ->required();
  auto* version = app.add_subcommand("version", "Print the version");
  for (auto* cmd : {serve, migrate, seed, grant, revoke, advance, backup, restore}) {
    AddConfigOptions(*cmd, opts);
  }

  CLI11_PARSE(app, argc, argv);
  if (version->parsed()) {
    std::cout << "aimoviez " << AIMOVIEZ_VERSION << "\n";
    return 0;
  }
  if (migrate_data->parsed()) {
    // Needs only the two databases: no data directory or configuration.
    if (!migrate_from.starts_with("sqlite:") ||
        !(migrate_to.starts_with("postgresql://") || migrate_to.starts_with("postgres://"))) {
      std::cerr << "configuration error: migrate-data --from sqlite:PATH --to postgresql://…\n";
      return 2;
    }
    try {
      const auto report = aimoviez::MigrateData(migrate_from.substr(7), migrate_to);
      aimoviez::PrintReport(report, std::cout);
      return report.mismatches.empty() ? 0 : 3;
    } catch (const std::exception& e) {
      std::cerr << "error: " << e.what() << "\n";
      return 1;
    }
  }
  if (verify->parsed()) {
    // Needs no data directory or configuration: only the server's public answers.
    aimoviez::net::BeastHttpFetcher fetcher;
    return aimoviez::VerifyReceipt(fetcher, verify_server, receipt_file, std::cout);
  }
  try {
    auto config = Resolve(opts);
    spdlog::set_default_logger(spdlog::stderr_color_mt("aimoviez"));
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %l %v", spdlog::pattern_time_type::utc);
    spdlog::set_level(spdlog::level::from_str(config.log_level));
    if ((backup->parsed() || restore->parsed()) && !config.database_url.empty()) {
      throw aimoviez::ConfigError(
          "backup and restore copy the embedded SQLite database; in cluster mode back up "
          "PostgreSQL with pg_dump and the media with your object store's tools "
          "(docs/DEPLOYMENT.md)");
    }
    if (backup->parsed() || restore->parsed()) {
      const auto report = backup->parsed() ? aimoviez::BackupDataDir(config, backup_dir)
                                           : aimoviez::RestoreDataDir(backup_dir, config);
      std::cout << (backup->parsed() ? "backed up" : "restored") << ": database, secret, "
                << report.media_files << " media files (" << report.media_bytes << " bytes)\n";
      for (const auto& key : report.missing_media) {
        std::cerr << "missing media (removed while copying?): " << key << "\n";
      }
      return report.missing_media.empty() ? 0 : 3;
    }
    aimoviez::Application application(config);
    if (serve->parsed()) return application.Serve();
    if (migrate->parsed()) return application.Migrate();
    if (seed->parsed()) return application.SeedDemo();
    if (grant->parsed()) return application.SetAdmin(email, true);
    if (revoke->parsed()) return application.SetAdmin(email, false);
    if (advance->parsed()) return application.RunAutoAdvanceOnce();
  } catch (const aimoviez::ConfigError& e) {
    std::cerr << "configuration error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
