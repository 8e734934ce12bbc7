// Shared fixtures for unit tests: a manual clock and a fresh SQLite store in a temp directory.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>

#include "common/crypto.h"
#include "common/time.h"
#include "storage/sqlite/sqlite_store.h"

namespace aimoviez::testing {

class ManualClock final : public Clock {
 public:
  explicit ManualClock(EpochMs start = 1'795'000'000'000) : now_(start) {}
  EpochMs NowMs() const override { return now_; }
  void Advance(EpochMs ms) { now_ += ms; }
  void Set(EpochMs ms) { now_ = ms; }

 private:
  EpochMs now_;
};

class TempDir {
 public:
  TempDir()
      : path_(std::filesystem::temp_directory_path() /
              ("aimoviez-test-" + crypto::ToHex(crypto::RandomBytes(6)))) {
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

class StoreTest : public ::testing::Test {
 protected:
  StoreTest() : store_(std::make_unique<sqlite::SqliteStore>(dir_.File("test.db"))) {
    store_->Migrate();
  }
  TempDir dir_;
  ManualClock clock_;
  std::unique_ptr<sqlite::SqliteStore> store_;
};

}  // namespace aimoviez::testing
