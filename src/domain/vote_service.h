// The vote use cases behind /api/vote: applies the feature flags (require_auth_voting,
// require_captcha_voting, multi_vote_enabled, power_votes_enabled) and hands the decision to the
// vote engine. Rules that need the open slot's state live in the engine.
#pragma once

#include "domain/actor.h"
#include "domain/captcha.h"
#include "domain/feature_flags.h"
#include "domain/live_events.h"
#include "domain/vote_engine.h"

namespace aimoviez {

class VoteService {
 public:
  VoteService(VoteEngine& engine, FeatureFlags& flags, const CaptchaVerifier& captcha,
              const Clock& clock)
      : engine_(engine), flags_(flags), captcha_(captcha), clock_(clock) {}

  // Durable vote changes are announced here (for coalesced live tallies).
  void SetLiveEvents(LiveEvents& live) { live_ = &live; }

  void Cast(const Actor& actor, Id clip_id, VoteType type, const std::string& captcha_token,
            VoteCallback done);
  void Revoke(const Actor& actor, Id clip_id, VoteCallback done);
  VoterFeed Feed(const Actor& actor, std::vector<Id> exclude_ids, std::size_t limit);
  std::optional<ClipCounts> Counts(Id clip_id) { return engine_.Counts(clip_id); }
  bool CaptchaRequired() { return flags_.Enabled("require_captcha_voting"); }

 private:
  VoteEngine& engine_;
  FeatureFlags& flags_;
  const CaptchaVerifier& captcha_;
  const Clock& clock_;
  NoLiveEvents no_live_;
  LiveEvents* live_ = &no_live_;

  VoteCallback Announcing(Id clip_id, VoteCallback done);
};

}  // namespace aimoviez
