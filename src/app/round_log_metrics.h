// Verifiable rounds as a Prometheus metric: rounds published with an alarm (their tally
// disagreed with what the round locked), read when /metrics is scraped. Alert on any increase.
#pragma once

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <vector>

#include "domain/round_log_service.h"

namespace aimoviez {

class RoundLogMetrics final : public prometheus::Collectable {
 public:
  explicit RoundLogMetrics(const RoundLogService& logs) : logs_(logs) {}

  std::vector<prometheus::MetricFamily> Collect() const override {
    prometheus::MetricFamily family;
    family.name = "aimoviez_round_log_alarms_total";
    family.help = "Round logs published with an alarm: the leaves' tally disagreed with the round";
    family.type = prometheus::MetricType::Counter;
    prometheus::ClientMetric metric;
    metric.counter.value = static_cast<double>(logs_.alarms());
    family.metric.push_back(metric);
    return {family};
  }

 private:
  const RoundLogService& logs_;
};

}  // namespace aimoviez
