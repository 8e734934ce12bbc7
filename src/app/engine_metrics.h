// The vote engine's group-commit counters as Prometheus metrics, read from the engine when
// /metrics is scraped (the engine itself knows nothing of Prometheus).
#pragma once

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <vector>

#include "engine/local/local_vote_engine.h"

namespace aimoviez {

class EngineMetrics final : public prometheus::Collectable {
 public:
  explicit EngineMetrics(engine::LocalVoteEngine& engine) : engine_(engine) {}

  std::vector<prometheus::MetricFamily> Collect() const override {
    const auto stats = engine_.Stats();
    std::vector<prometheus::MetricFamily> out;
    auto add = [&out](const char* name, const char* help, prometheus::MetricType type,
                      double value) {
      prometheus::MetricFamily family;
      family.name = name;
      family.help = help;
      family.type = type;
      prometheus::ClientMetric metric;
      if (type == prometheus::MetricType::Counter)
        metric.counter.value = value;
      else
        metric.gauge.value = value;
      family.metric.push_back(metric);
      out.push_back(std::move(family));
    };
    using prometheus::MetricType;
    add("aimoviez_vote_commits_total", "Group commits of vote batches", MetricType::Counter,
        static_cast<double>(stats.batches));
    add("aimoviez_vote_rows_committed_total", "Vote rows (casts and revocations) committed",
        MetricType::Counter, static_cast<double>(stats.rows));
    add("aimoviez_vote_views_committed_total",
        "Feed impressions (first sight of a clip by a voter) committed", MetricType::Counter,
        static_cast<double>(stats.views));
    add("aimoviez_vote_commit_seconds_total", "Time spent committing vote batches",
        MetricType::Counter, stats.commit_seconds);
    add("aimoviez_vote_largest_batch", "Most rows committed in one batch since start",
        MetricType::Gauge, static_cast<double>(stats.largest_batch));
    add("aimoviez_vote_engine_voters", "Voters and remembered feed readers held in memory",
        MetricType::Gauge, static_cast<double>(stats.voters));
    add("aimoviez_vote_network_entries", "Today's per-network anonymous vote and reader counts",
        MetricType::Gauge, static_cast<double>(stats.network_entries));
    return out;
  }

 private:
  engine::LocalVoteEngine& engine_;
};

}  // namespace aimoviez
