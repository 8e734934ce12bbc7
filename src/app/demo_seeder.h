// Seeds a demo platform through the same domain services the API uses: one finished season for
// the Watch library, one active season with locked slots and an open round of clips with votes,
// and a few clips pending review. Media are rendered with ffmpeg into <data_dir>/media/demo.
#pragma once

#include <string>

#include "domain/ports.h"
#include "domain/season_service.h"

namespace aimoviez {

struct SeedReport {
  bool seeded = false;  // false: the data directory already had seasons, nothing was changed
  int seasons = 0;
  int clips = 0;
  int votes = 0;
};

class DemoSeeder {
 public:
  DemoSeeder(Store& store, SeasonService& seasons, const Clock& clock, std::string media_dir)
      : store_(store), seasons_(seasons), clock_(clock), media_dir_(std::move(media_dir)) {}

  SeedReport SeedIfEmpty();

 private:
  Clip MakeClip(Id creator, const std::string& title, const std::string& genre, int index);
  void CastDemoVotes(const Clip& clip, int count, int& vote_serial);

  Store& store_;
  SeasonService& seasons_;
  const Clock& clock_;
  std::string media_dir_;
  SeedReport report_;
};

}  // namespace aimoviez
