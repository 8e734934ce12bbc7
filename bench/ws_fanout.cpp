// WebSocket fan-out benchmark client. Opens N connections to /ws subscribed to the open slot's
// tallies, then casts votes over HTTP at a fixed rate (every vote from a new anonymous voter)
// and measures, for every vote at every connection, the time from the vote's HTTP
// acknowledgement to the first tally message that reflects it. Also reads the server's RSS and
// CPU time from /proc to report memory per idle connection and CPU during the push.
//
// usage: ws_fanout HOST PORT SERVER_PID CONNECTIONS VOTES_PER_SECOND SECONDS CLIP_IDS DEVICE CSRF
// (CLIP_IDS comma-separated; DEVICE and CSRF are an anonymous device cookie and its token.)
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>

#include <unistd.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

struct Args {
  std::string host;
  std::string port;
  int server_pid = 0;
  int connections = 0;
  int votes_per_second = 0;
  int seconds = 0;
  std::vector<long> clips;
  std::string device;
  std::string csrf;
};

long ReadRssKb(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

double ReadCpuSeconds(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string content((std::istreambuf_iterator<char>(in)), {});
  const auto close = content.rfind(')');
  std::istringstream rest(content.substr(close + 2));
  std::string field;
  long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i) {
    if (i == 14) utime = std::stol(field);
    if (i == 15) stime = std::stol(field);
  }
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// Latency histogram in 0.1 ms buckets up to 10 s.
class Histogram {
 public:
  void Add(double ms) {
    const auto bucket = static_cast<std::size_t>(std::clamp(ms, 0.0, 9999.9) * 10);
    ++buckets_[bucket];
    ++count_;
  }
  double Percentile(double p) const {
    const auto want = static_cast<std::uint64_t>(p * static_cast<double>(count_));
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < buckets_.size(); ++i) {
      seen += buckets_[i];
      if (seen > want) return static_cast<double>(i) / 10.0;
    }
    return 10000;
  }
  std::uint64_t count() const { return count_; }

 private:
  std::vector<std::uint64_t> buckets_ = std::vector<std::uint64_t>(100000);
  std::uint64_t count_ = 0;
};

struct Shared {
  Args args;
  // ack_times[clip][voteCount] = when the vote that produced that count was acknowledged.
  std::unordered_map<long, std::map<long, Clock::time_point>> ack_times;
  Histogram latency;
  std::uint64_t messages = 0;
  int ready = 0;
  int failed = 0;
};

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(asio::io_context& ioc, Shared& shared) : resolver_(ioc), ws_(ioc), shared_(shared) {}

  void Start(const tcp::resolver::results_type& endpoints) {
    beast::get_lowest_layer(ws_).async_connect(
        endpoints, [self = shared_from_this()](beast::error_code ec, const tcp::endpoint&) {
          if (ec) return self->Fail("connect", ec);
          self->ws_.async_handshake(self->shared_.args.host + ":" + self->shared_.args.port, "/ws",
                                    [self](beast::error_code ec2) {
                                      if (ec2) return self->Fail("handshake", ec2);
                                      self->Subscribe();
                                    });
        });
  }

 private:
  void Subscribe() {
    ws_.text(true);
    ws_.async_write(asio::buffer(kSubscribe),
                    [self = shared_from_this()](beast::error_code ec, std::size_t) {
                      if (ec) return self->Fail("subscribe", ec);
                      self->Read();
                    });
  }

  void Read() {
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->Fail("read", ec);
      self->OnMessage();
      self->Read();
    });
  }

  void OnMessage() {
    const auto now = Clock::now();
    const auto data = buffer_.cdata();
    const std::string_view text(static_cast<const char*>(data.data()), data.size());
    // A stack arena for the parse: the client must not be the bottleneck it measures.
    unsigned char arena[16384];
    boost::json::monotonic_resource memory(arena, sizeof arena);
    boost::system::error_code ec;
    auto value = boost::json::parse(text, ec, &memory);
    buffer_.consume(buffer_.size());
    if (ec || !value.is_object()) return;
    const auto& msg = value.as_object();
    const auto type = msg.at("type").as_string();
    if (type == "subscribed") {
      ++shared_.ready;
      return;
    }
    if (type != "TallyUpdated") return;
    ++shared_.messages;
    for (const auto& entry : msg.at("clips").as_array()) {
      const auto& clip = entry.as_object();
      const long id = clip.at("clipId").as_int64();
      const long count = clip.at("voteCount").as_int64();
      long& seen = seen_[id];
      if (seen == 0) seen = count;  // first sight: votes before we connected are not ours
      auto& acks = shared_.ack_times[id];
      // Every vote newly reflected here gets its own sample.
      for (auto it = acks.upper_bound(seen); it != acks.end() && it->first <= count; ++it) {
        shared_.latency.Add(std::chrono::duration<double, std::milli>(now - it->second).count());
      }
      seen = std::max(seen, count);
    }
  }

  void Fail(const char* what, beast::error_code ec) {
    if (++shared_.failed <= 5) std::cerr << "listener " << what << ": " << ec.message() << "\n";
  }

  static constexpr std::string_view kSubscribe = R"({"type":"subscribe","channel":"tallies"})";
  tcp::resolver resolver_;
  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buffer_;
  std::unordered_map<long, long> seen_;
  Shared& shared_;
};

// One keep-alive HTTP connection casting votes, one at a time.
class Voter : public std::enable_shared_from_this<Voter> {
 public:
  Voter(asio::io_context& ioc, Shared& shared, int id) : stream_(ioc), shared_(shared), id_(id) {}

  void Connect(const tcp::resolver::results_type& endpoints) {
    beast::error_code ec;
    stream_.connect(endpoints, ec);
    if (ec) throw std::runtime_error("voter connect: " + ec.message());
  }

  bool busy() const { return busy_; }

  void Cast(long clip, long serial) {
    busy_ = true;
    request_ = {};
    request_.method(http::verb::post);
    request_.target("/api/vote");
    request_.version(11);
    request_.set(http::field::host, shared_.args.host + ":" + shared_.args.port);
    request_.set(http::field::content_type, "application/json");
    request_.set(http::field::cookie, "aimoviez_device=" + shared_.args.device);
    request_.set("X-CSRF-Token", shared_.args.csrf);
    request_.set(http::field::origin, "http://" + shared_.args.host + ":" + shared_.args.port);
    request_.set(http::field::user_agent, "ws-fanout/" + std::to_string(getpid()) + "/" +
                                              std::to_string(id_) + "/" + std::to_string(serial));
    request_.body() = R"({"clipId":)" + std::to_string(clip) + "}";
    request_.prepare_payload();
    http::async_write(
        stream_, request_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
          if (ec) throw std::runtime_error("vote write: " + ec.message());
          self->response_ = {};
          http::async_read(self->stream_, self->buffer_, self->response_,
                           [self](beast::error_code ec2, std::size_t) {
                             if (ec2) throw std::runtime_error("vote read: " + ec2.message());
                             self->busy_ = false;
                             if (self->response_.result() != http::status::ok) {
                               ++self->errors;
                               return;
                             }
                             const auto body =
                                 boost::json::parse(self->response_.body()).as_object();
                             const long clip_id = body.at("clipId").as_int64();
                             const long count = body.at("voteCount").as_int64();
                             self->shared_.ack_times[clip_id][count] = Clock::now();
                             ++self->acks;
                           });
        });
  }

  int acks = 0;
  int errors = 0;

 private:
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  http::response<http::string_body> response_;
  Shared& shared_;
  int id_;
  bool busy_ = false;
};

Args Parse(int argc, char** argv) {
  if (argc != 10) {
    std::cerr << "usage: ws_fanout HOST PORT SERVER_PID CONNECTIONS VOTES_PER_SECOND SECONDS "
                 "CLIP_IDS DEVICE CSRF\n";
    std::exit(2);
  }
  Args a;
  a.host = argv[1];
  a.port = argv[2];
  a.server_pid = std::stoi(argv[3]);
  a.connections = std::stoi(argv[4]);
  a.votes_per_second = std::stoi(argv[5]);
  a.seconds = std::stoi(argv[6]);
  std::stringstream ids(argv[7]);
  for (std::string id; std::getline(ids, id, ',');) a.clips.push_back(std::stol(id));
  a.device = argv[8];
  a.csrf = argv[9];
  return a;
}

}  // namespace

int main(int argc, char** argv) {
  Shared shared;
  shared.args = Parse(argc, argv);
  const auto& args = shared.args;
  asio::io_context ioc;
  tcp::resolver resolver(ioc);
  const auto endpoints = resolver.resolve(args.host, args.port);

  const long rss_before = ReadRssKb(args.server_pid);
  std::vector<std::shared_ptr<Listener>> listeners;
  // Connect in waves so the accept backlog never overflows.
  const auto connect_started = Clock::now();
  for (int opened = 0; opened < args.connections;) {
    const int wave = std::min(500, args.connections - opened);
    for (int i = 0; i < wave; ++i) {
      auto l = std::make_shared<Listener>(ioc, shared);
      l->Start(endpoints);
      listeners.push_back(std::move(l));
    }
    opened += wave;
    while (shared.ready + shared.failed < opened) ioc.run_one_for(std::chrono::milliseconds(100));
  }
  const double connect_seconds =
      std::chrono::duration<double>(Clock::now() - connect_started).count();
  // Let the server settle, then weigh it with every connection idle.
  const auto settle_until = Clock::now() + std::chrono::seconds(2);
  while (Clock::now() < settle_until) ioc.run_one_for(std::chrono::milliseconds(50));
  const long rss_idle = ReadRssKb(args.server_pid);

  std::vector<std::shared_ptr<Voter>> voters;
  for (int i = 0; i < 8; ++i) {
    voters.push_back(std::make_shared<Voter>(ioc, shared, i));
    voters.back()->Connect(endpoints);
  }
  const double cpu_before = ReadCpuSeconds(args.server_pid);
  const auto start = Clock::now();
  const auto stop = start + std::chrono::seconds(args.seconds);
  const auto step = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(1.0 / args.votes_per_second));
  auto next_vote = start;
  long serial = 0;
  int skipped = 0;
  while (Clock::now() < stop) {
    if (Clock::now() >= next_vote) {
      next_vote += step;
      auto it =
          std::find_if(voters.begin(), voters.end(), [](const auto& v) { return !v->busy(); });
      if (it == voters.end()) {
        ++skipped;
      } else {
        (*it)->Cast(args.clips[static_cast<std::size_t>(serial) % args.clips.size()], serial);
        ++serial;
      }
    }
    ioc.run_one_until(std::min(next_vote, stop));
  }
  const double cpu_seconds = ReadCpuSeconds(args.server_pid) - cpu_before;
  const double wall = std::chrono::duration<double>(Clock::now() - start).count();
  // Let the last tallies arrive.
  const auto drain_until = Clock::now() + std::chrono::seconds(1);
  while (Clock::now() < drain_until) ioc.run_one_for(std::chrono::milliseconds(50));

  int acks = 0, errors = 0;
  for (const auto& v : voters) acks += v->acks, errors += v->errors;
  const double expected = static_cast<double>(acks) * shared.ready;
  std::printf(
      "ws fan-out: %d connections (%d subscribed, %d failed, opened in %.1f s); %d votes acked "
      "(%d errors, %d skipped) in %.1f s\n",
      args.connections, shared.ready, shared.failed, connect_seconds, acks, errors, skipped, wall);
  std::printf("  tally messages received: %llu; vote→tally samples %llu of %.0f expected\n",
              static_cast<unsigned long long>(shared.messages),
              static_cast<unsigned long long>(shared.latency.count()), expected);
  std::printf("  ack→tally latency p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
              shared.latency.Percentile(0.5), shared.latency.Percentile(0.99),
              shared.latency.Percentile(0.99999));
  std::printf("  server RSS %ld KB before, %ld KB with connections idle: %.1f KB per connection\n",
              rss_before, rss_idle,
              shared.ready > 0 ? static_cast<double>(rss_idle - rss_before) / shared.ready : 0.0);
  std::printf("  server CPU during the vote phase: %.2f s in %.1f s (%.0f%% of one core)\n",
              cpu_seconds, wall, 100.0 * cpu_seconds / wall);
  return shared.failed > 0 ? 1 : 0;
}
