#include "domain/broadcast_service.h"

#include "common/crypto.h"
#include "common/text.h"
#include "domain/transaction.h"

namespace aimoviez {

namespace {

Error TooLong(std::string_view field, std::size_t max) {
  return Error::InvalidInput(std::string(field) + " is at most " + std::to_string(max) +
                             " characters")
      .With("field", boost::json::string(field));
}

}  // namespace

Broadcast RoundStartedBroadcast(const Season& season, const Slot& slot, EpochMs now) {
  Broadcast b;
  b.type = "round_started";
  b.title = "Slot " + std::to_string(slot.position) + " is open for votes";
  b.body = season.label + ": the clips for scene " + std::to_string(slot.position) + " of " +
           std::to_string(season.total_slots) + " are in. Pick the one that comes next.";
  b.link = "/dashboard";
  // The same slot may open again (an admin unlocks it): each opening is its own round.
  b.dedupe_key = "round:" + std::to_string(season.id) + ":" + std::to_string(slot.position) + ":" +
                 std::to_string(slot.voting_started_at.value_or(now));
  b.created_at = now;
  return b;
}

Result<Broadcast> BroadcastService::Announce(const AuditActor& admin, AnnouncementDraft draft) {
  draft.title = text::Sanitize(draft.title);
  draft.body = text::Sanitize(draft.body, true);
  draft.link = text::Trim(draft.link);
  if (!text::IsValidUtf8(draft.title) || !text::IsValidUtf8(draft.body) ||
      !text::IsValidUtf8(draft.link)) {
    return Error::InvalidInput("text must be UTF-8");
  }
  if (draft.title.empty()) {
    return Error::InvalidInput("title is required").With("field", "title");
  }
  if (text::CodePointCount(draft.title) > kMaxTitle) return TooLong("title", kMaxTitle);
  if (draft.body.empty()) return Error::InvalidInput("body is required").With("field", "body");
  if (text::CodePointCount(draft.body) > kMaxBody) return TooLong("body", kMaxBody);
  // Only a path of this site: a notification must not send people elsewhere.
  const bool path = draft.link.empty() ||
                    (draft.link[0] == '/' && draft.link.rfind("//", 0) != 0 &&
                     draft.link.find('\\') == std::string::npos && draft.link.size() <= kMaxLink &&
                     text::Sanitize(draft.link) == draft.link);
  if (!path) {
    return Error::InvalidInput("link must be a path on this site, such as /story")
        .With("field", "link");
  }
  Broadcast b;
  b.type = "announcement";
  b.title = draft.title;
  b.body = draft.body;
  b.link = draft.link.empty() ? "/notifications" : draft.link;
  b.created_by = admin.user_id;
  b.created_at = clock_.NowMs();
  b.dedupe_key = "announcement:" + crypto::RandomToken(12);
  return InTransaction(store_, [&]() -> Result<Broadcast> {
    auto id = store_.AppendBroadcast(b);
    if (!id) return Error::Internal("Announcement could not be stored");
    b.id = *id;
    audit_.Record(admin, "announce", "broadcast", std::to_string(b.id),
                  {{"title", b.title}, {"link", b.link}});
    return b;
  });
}

int BroadcastService::DeliverPending(int batch) {
  std::vector<Notification> created;
  int handled = 0;
  store_.Transaction([&] {
    auto b = store_.NextPendingBroadcast();
    if (!b) return;
    const auto users = store_.UserIdsFrom(b->next_user_id, b->created_at, batch);
    std::int64_t stored = 0;
    for (Id user : users) {
      auto n = notifications_.Add({user, b->type, b->title, b->body, b->link, b->dedupe_key});
      if (!n) continue;
      ++stored;
      created.push_back(std::move(*n));
    }
    handled = static_cast<int>(users.size());
    // A short batch reached the last account: accounts made later were not there to be told.
    const bool done = handled < batch;
    const Id next = users.empty() ? b->next_user_id : users.back() + 1;
    store_.AdvanceBroadcast(b->id, next, b->delivered + stored,
                            done ? std::optional<EpochMs>(clock_.NowMs()) : std::nullopt);
  });
  for (const auto& n : created) notifications_.Announce(n);
  return handled;
}

}  // namespace aimoviez
