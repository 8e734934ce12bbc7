#include "app/demo_seeder.h"

#include <spdlog/spdlog.h>

#include <filesystem>

#include "app/media_tools.h"

namespace aimoviez {

namespace {
const AuditActor kSeeder{std::nullopt, "system:seed-demo"};

constexpr const char* kPalette[] = {"3CF2FF", "A020F0", "FF00C7", "1E90FF", "FF6B00",
                                    "00C48C", "FFD400", "7B61FF", "FF3D6E", "00A3FF"};

struct DemoCreator {
  const char* email;
  const char* username;
};
constexpr DemoCreator kCreators[] = {
    {"nova@demo.aimoviez.local", "NovaFrames"}, {"kai@demo.aimoviez.local", "KaiCuts"},
    {"mira@demo.aimoviez.local", "MiraVision"}, {"otto@demo.aimoviez.local", "OttoReels"},
    {"zuri@demo.aimoviez.local", "ZuriDreams"}, {"lev@demo.aimoviez.local", "LevInMotion"}};

constexpr const char* kTitles[] = {"The Signal", "Rooftop Run",   "Neon Rain",    "Ghost Frequency",
                                   "Last Train", "Glass City",    "Static Bloom", "Night Market",
                                   "Afterglow",  "Black Box",     "The Crossing", "Paper Moon",
                                   "Low Orbit",  "Undertow",      "Red Shift",    "Echo Chamber",
                                   "Wildfire",   "Midnight Call", "Fault Line",   "Open Door"};
}  // namespace

Clip DemoSeeder::MakeClip(Id creator, const std::string& title, const std::string& genre,
                          int index) {
  const std::string slug = "demo-" + std::to_string(index);
  const std::string dir = media_dir_ + "/demo";
  std::filesystem::create_directories(dir);
  const std::string video = dir + "/" + slug + ".mp4";
  const std::string poster = dir + "/" + slug + ".jpg";
  if (!std::filesystem::exists(video) || !std::filesystem::exists(poster)) {
    media::TitleCardSpec spec;
    spec.title = title;
    spec.subtitle = "Scene " + std::to_string(index) + " · " + genre;
    spec.background_hex = kPalette[index % std::size(kPalette)];
    spec.seconds = 6.0 + (index % 3);
    media::RenderTitleCard(spec, video, poster);
  }
  Clip clip;
  clip.user_id = creator;
  clip.title = title;
  clip.description = "A demo scene generated for the local platform.";
  clip.genre = genre;
  clip.video_url = "/media/demo/" + slug + ".mp4";
  clip.thumbnail_url = "/media/demo/" + slug + ".jpg";
  clip.duration_ms = static_cast<std::int64_t>((6.0 + (index % 3)) * 1000);
  clip.status = ClipStatus::kPending;
  clip.created_at = clock_.NowMs() - (100 - index) * 60'000;
  ++report_.clips;
  return store_.InsertClip(clip);
}

void DemoSeeder::CastDemoVotes(const Clip& clip, int count, int& vote_serial) {
  std::vector<VoteRecord> votes;
  for (int i = 0; i < count; ++i) {
    VoteRecord v;
    v.clip_id = clip.id;
    v.voter_key = "device_demo" + std::to_string(++vote_serial);
    v.slot_position = clip.slot_position;
    v.created_at = clock_.NowMs();
    votes.push_back(std::move(v));
  }
  store_.InsertVotes(votes);
  report_.votes += count;
}

SeedReport DemoSeeder::SeedIfEmpty() {
  if (!store_.ListSeasons().empty()) return report_;
  report_.seeded = true;
  std::vector<Id> creators;
  for (const auto& c : kCreators) {
    auto user = store_.FindUserByEmail(c.email);
    if (!user) user = *store_.CreateUser(c.email, c.username, clock_.NowMs());
    creators.push_back(user->id);
  }
  int clip_index = 0;
  int vote_serial = 0;
  auto next_clip = [&](const std::string& genre) {
    const int i = clip_index++;
    return MakeClip(creators[i % creators.size()], kTitles[i % std::size(kTitles)], genre, i + 1);
  };
  // Fills the open slot with fresh clips, votes on every active clip, then optionally closes it.
  auto play_round = [&](Id season_id, const std::string& genre, int new_clips, bool close) {
    for (int i = 0; i < new_clips; ++i) {
      auto clip = next_clip(genre);
      if (auto r = seasons_.ApproveClip(clip.id, kSeeder); !r)
        throw std::runtime_error(r.error().message);
    }
    auto open = store_.FindOpenSlot(season_id);
    if (!open) throw std::runtime_error("demo season has no open slot");
    int weight = 3;
    for (const auto& clip : store_.ListClips(
             ClipQuery{season_id, open->position, ClipStatus::kActive, std::nullopt, 100, 0})) {
      CastDemoVotes(clip, weight + (static_cast<int>(clip.id) * 7) % 23, vote_serial);
      weight += 2;
    }
    store_.SnapshotCounters(store_.SlotStandings(season_id, open->position));
    if (close) {
      if (auto r = seasons_.AdvanceNow(open->id, kSeeder); !r)
        throw std::runtime_error(r.error().message);
    }
  };

  // Season 1: four slots, played to the end, so the Watch library has a film.
  SeasonDraft first{"Season 1: Neon Dawn", "Sci-Fi",
                    "A city wakes up to a signal from orbit. Four scenes, chosen by the community.",
                    4, 86'400};
  auto s1 = seasons_.CreateSeason(first, kSeeder);
  if (!s1) throw std::runtime_error(s1.error().message);
  if (auto r = seasons_.ActivateSeason(s1->id, kSeeder); !r)
    throw std::runtime_error(r.error().message);
  for (int slot = 1; slot <= 4; ++slot) play_round(s1->id, "Sci-Fi", 2, true);
  ++report_.seasons;

  // Season 2: live, three scenes locked, the fourth open for voting.
  SeasonDraft second{"Season 2: Midnight Run", "Thriller",
                     "One night, one city, seventy-five scenes. Vote for what happens next.", 75,
                     86'400};
  auto s2 = seasons_.CreateSeason(second, kSeeder);
  if (!s2) throw std::runtime_error(s2.error().message);
  if (auto r = seasons_.ActivateSeason(s2->id, kSeeder); !r)
    throw std::runtime_error(r.error().message);
  for (int slot = 1; slot <= 3; ++slot) play_round(s2->id, "Thriller", 2, true);
  play_round(s2->id, "Thriller", 4, false);
  ++report_.seasons;

  // Two uploads waiting for review in the admin queue.
  next_clip("Thriller");
  next_clip("Thriller");
  spdlog::info("demo seeded: {} seasons, {} clips, {} votes", report_.seasons, report_.clips,
               report_.votes);
  return report_;
}

}  // namespace aimoviez
