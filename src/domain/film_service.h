// A season's film (issue 5): its winning scenes in slot order as one MP4 with a chapter per
// slot. Built automatically once a season finishes, and again on an admin's request; the
// building itself is the media worker's (app/media_pipeline).
#pragma once

#include "domain/audit_trail.h"
#include "domain/errors.h"
#include "domain/ports.h"
#include "domain/upload_service.h"

namespace aimoviez {

class FilmService {
 public:
  FilmService(Store& store, const Clock& clock, ProcessingQueue& queue)
      : store_(store), clock_(clock), queue_(queue), audit_(store, clock) {}

  // Queues a (re)build; the season needs at least one locked scene.
  Result<Film> Request(Id season_id, const AuditActor& actor);
  Result<Film> Get(Id season_id);

 private:
  Store& store_;
  const Clock& clock_;
  ProcessingQueue& queue_;
  AuditTrail audit_;
};

}  // namespace aimoviez
