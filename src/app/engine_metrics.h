// The vote engine's group-commit counters as Prometheus metrics, read from the engine when
// /metrics is scraped (the engines themselves know nothing of Prometheus): the embedded engine's
// and cluster mode's.
#pragma once

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <vector>

#include "engine/cluster/cluster_vote_engine.h"
#include "engine/local/local_vote_engine.h"

namespace aimoviez {

// One family of one sample.
inline void AddEngineMetric(std::vector<prometheus::MetricFamily>& out, const char* name,
                            const char* help, prometheus::MetricType type, double value) {
  prometheus::MetricFamily family;
  family.name = name;
  family.help = help;
  family.type = type;
  prometheus::ClientMetric metric;
  if (type == prometheus::MetricType::Counter) {
    metric.counter.value = value;
  } else {
    metric.gauge.value = value;
  }
  family.metric.push_back(metric);
  out.push_back(std::move(family));
}

class EngineMetrics final : public prometheus::Collectable {
 public:
  explicit EngineMetrics(engine::LocalVoteEngine& engine) : engine_(engine) {}

  std::vector<prometheus::MetricFamily> Collect() const override {
    const auto stats = engine_.Stats();
    std::vector<prometheus::MetricFamily> out;
    auto add = [&out](const char* name, const char* help, prometheus::MetricType type,
                      double value) { AddEngineMetric(out, name, help, type, value); };
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

class ClusterEngineMetrics final : public prometheus::Collectable {
 public:
  explicit ClusterEngineMetrics(engine::ClusterVoteEngine& engine) : engine_(engine) {}

  std::vector<prometheus::MetricFamily> Collect() const override {
    const auto stats = engine_.Stats();
    std::vector<prometheus::MetricFamily> out;
    using prometheus::MetricType;
    AddEngineMetric(out, "aimoviez_vote_commits_total", "Vote batches handed to the ledger",
                    MetricType::Counter, static_cast<double>(stats.batches));
    AddEngineMetric(out, "aimoviez_vote_ledger_accepted_total", "Votes the ledger accepted",
                    MetricType::Counter, static_cast<double>(stats.accepted));
    AddEngineMetric(out, "aimoviez_vote_ledger_refused_total",
                    "Votes the ledger refused (already voted, daily cap, power vote spent, "
                    "round closed) after this node let them by",
                    MetricType::Counter, static_cast<double>(stats.refused_by_ledger));
    AddEngineMetric(out, "aimoviez_vote_ledger_failed_commits_total",
                    "Vote batches whose commit failed (answered 503)", MetricType::Counter,
                    static_cast<double>(stats.failed_commits));
    AddEngineMetric(out, "aimoviez_vote_tally_refreshes_total",
                    "Reads of the open round and its stored tallies", MetricType::Counter,
                    static_cast<double>(stats.refreshes));
    return out;
  }

 private:
  engine::ClusterVoteEngine& engine_;
};

}  // namespace aimoviez
