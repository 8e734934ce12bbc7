// Child processes for media work (ffmpeg/ffprobe): argv only, never a shell, with a timeout.
// Used by the demo seeder now and by the upload pipeline later.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace aimoviez::media {

struct ProcessResult {
  int exit_code = -1;
  int signal = 0;  // the signal that ended the child, if one did
  bool timed_out = false;
  bool cancelled = false;
  std::string output;  // stdout and stderr, truncated to 64 KiB
};

// `on_output` (optional) sees the child's output as it arrives (e.g. ffmpeg -progress lines).
// The child runs in its own process group (a Ctrl-C meant for the server does not kill it
// half-way), with a minimal environment and no descriptor of the server's, and is killed when
// the server dies (PR_SET_PDEATHSIG: strictly, when the calling thread ends, so call this from
// a thread that lives as long as the work); setting `*cancel` kills it.
ProcessResult RunProcess(const std::vector<std::string>& argv, std::chrono::seconds timeout,
                         const std::function<void(std::string_view)>& on_output = nullptr,
                         const std::atomic<bool>* cancel = nullptr);

struct TitleCardSpec {
  std::string title;
  std::string subtitle;
  std::string background_hex;  // "3CF2FF"
  double seconds = 6.0;
  int width = 360;
  int height = 640;
};

// Renders a 9:16 H.264/AAC MP4 (faststart) with a moving gradient, the title and a tone, plus a
// JPEG poster. Throws std::runtime_error with ffmpeg's output on failure.
void RenderTitleCard(const TitleCardSpec& spec, const std::string& video_path,
                     const std::string& poster_path);

}  // namespace aimoviez::media
