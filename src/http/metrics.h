// Prometheus metrics for the HTTP layer (prometheus-cpp core, rendered as text by /metrics).
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace aimoviez::http {

class HttpMetrics {
 public:
  HttpMetrics();
  void Observe(std::string_view method, std::string_view route, int status, double seconds);
  prometheus::Gauge& open_connections() { return *open_connections_; }
  prometheus::Counter& refused_connections() { return *refused_connections_; }
  prometheus::Gauge& websocket_connections() { return *websocket_connections_; }
  prometheus::Counter& websocket_messages_sent() { return *websocket_messages_sent_; }
  prometheus::Counter& websocket_slow_dropped() { return *websocket_slow_dropped_; }
  // Another source of metrics rendered with these (e.g. the vote engine's counters); it must
  // outlive this object's last Render().
  void AddCollectable(const prometheus::Collectable& source) { extra_.push_back(&source); }
  std::string Render() const;
  prometheus::Registry& registry() { return *registry_; }

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  std::vector<const prometheus::Collectable*> extra_;
  prometheus::Family<prometheus::Counter>* requests_;
  prometheus::Family<prometheus::Histogram>* latency_;
  prometheus::Gauge* open_connections_;
  prometheus::Counter* refused_connections_;
  prometheus::Gauge* websocket_connections_;
  prometheus::Counter* websocket_messages_sent_;
  prometheus::Counter* websocket_slow_dropped_;
  // Label lookups in prometheus-cpp allocate; the series for each (method, route, status) are
  // resolved once and kept here, and each thread keeps the ones it used (no lock per request).
  struct Series {
    prometheus::Counter* requests;
    prometheus::Histogram* latency;
  };
  Series FindSeries(std::string_view method, std::string_view route, int status);
  std::uint64_t instance_;  // tells this object's entries in the per-thread cache apart
  std::mutex series_mutex_;
  std::unordered_map<std::string, Series> series_;
};

}  // namespace aimoviez::http
