#include "domain/film_service.h"

#include <algorithm>

#include "domain/transaction.h"

namespace aimoviez {

Result<Film> FilmService::Request(Id season_id, const AuditActor& actor) {
  auto film = InTransaction(store_, [&]() -> Result<Film> {
    auto season = store_.FindSeason(season_id);
    if (!season) return Error::NotFound("Season");
    const auto slots = store_.ListSlots(season_id);
    const bool any_scene = std::any_of(slots.begin(), slots.end(), [](const Slot& s) {
      return s.status == SlotStatus::kLocked && s.winner_clip_id;
    });
    if (!any_scene) return Error::Conflict("NO_SCENES", "The season has no locked scene yet");
    auto queued = store_.RequestFilm(season_id, clock_.NowMs());
    audit_.Record(actor, "request_film", "season", std::to_string(season_id), {});
    return queued;
  });
  if (film) queue_.Wake();
  return film;
}

Result<Film> FilmService::Get(Id season_id) {
  if (!store_.FindSeason(season_id)) return Error::NotFound("Season");
  auto film = store_.FindFilm(season_id);
  if (!film) return Error::NotFound("Film");
  return *film;
}

}  // namespace aimoviez
