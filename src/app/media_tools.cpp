#include "app/media_tools.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>
#include <thread>

namespace aimoviez::media {

namespace {

// The environment a child gets: enough to find programs and read UTF-8, nothing of the
// server's (which may hold S3 or OpenID client secrets).
const std::vector<std::string>& ChildEnvironment() {
  static const std::vector<std::string> env = {"PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8",
                                               "HOME=/nonexistent"};
  return env;
}

// argv[0] as a path: resolved before fork, since the child may only make async-signal-safe
// calls (the server is multi-threaded).
std::string ResolveProgram(const std::string& name) {
  if (name.find('/') != std::string::npos) return name;
  for (const char* dir : {"/usr/local/bin", "/usr/bin", "/bin"}) {
    std::string candidate = std::string(dir) + "/" + name;
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

}  // namespace

ProcessResult RunProcess(const std::vector<std::string>& argv, std::chrono::seconds timeout,
                         const std::function<void(std::string_view)>& on_output,
                         const std::atomic<bool>* cancel) {
  ProcessResult result;
  const std::string program = ResolveProgram(argv.at(0));
  if (program.empty()) throw std::runtime_error("cannot find " + argv[0]);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<char*> env;
  for (const auto& e : ChildEnvironment()) env.push_back(const_cast<char*>(e.c_str()));
  env.push_back(nullptr);
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  const int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid == 0) {
    // The child: only async-signal-safe calls until exec. It dies with the server, even when the
    // server is killed with SIGKILL (a surviving ffmpeg kept the listening socket and blocked
    // the restart), in its own process group so a Ctrl-C meant for the server is not its, and it
    // inherits no descriptor but stdin (/dev/null), stdout and stderr (the pipe).
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);  // the server died before the line above
    setpgid(0, 0);
    // An ignored signal stays ignored across exec: the child gets the default back (the server
    // ignores SIGXFSZ; ffmpeg should stop at a file-size limit, not write on).
    signal(SIGXFSZ, SIG_DFL);
    if (dup2(null_fd, 0) < 0 || dup2(pipe_fds[1], 1) < 0 || dup2(pipe_fds[1], 2) < 0) _exit(127);
    if (close_range(3, ~0U, 0) != 0) {
      for (int fd = 3; fd < 65536; ++fd) close(fd);
    }
    execve(program.c_str(), args.data(), env.data());
    _exit(127);
  }
  if (null_fd >= 0) close(null_fd);
  close(pipe_fds[1]);
  if (pid < 0) {
    close(pipe_fds[0]);
    throw std::runtime_error("cannot start " + argv[0]);
  }
  fcntl(pipe_fds[0], F_SETFL, O_NONBLOCK);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  char buf[4096];
  for (;;) {
    ssize_t n;
    while ((n = read(pipe_fds[0], buf, sizeof buf)) > 0) {
      if (result.output.size() < 65536) result.output.append(buf, static_cast<std::size_t>(n));
      if (on_output) on_output(std::string_view(buf, static_cast<std::size_t>(n)));
    }
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    const bool cancelled = cancel != nullptr && cancel->load();
    if (cancelled || std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      (cancelled ? result.cancelled : result.timed_out) = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  close(pipe_fds[0]);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  return result;
}

namespace {
// drawtext treats ':' ',' '\'' and '\\' specially; titles come from our own seed data, but
// escape anyway so any text renders literally.
std::string EscapeDrawtext(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == ':' || c == '\\' || c == '\'' || c == ',' || c == '%') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}
}  // namespace

void RenderTitleCard(const TitleCardSpec& spec, const std::string& video_path,
                     const std::string& poster_path) {
  const std::string font = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";
  const std::string size = std::to_string(spec.width) + "x" + std::to_string(spec.height);
  const std::string duration = std::to_string(spec.seconds);
  std::string filter =
      "[0:v][1:v]blend=all_mode=overlay:all_opacity=0.55,"
      "drawbox=x=0:y=ih*0.38:w=iw:h=ih*0.24:color=black@0.45:t=fill,"
      "drawtext=fontfile=" +
      font + ":text='" + EscapeDrawtext(spec.title) +
      "':fontcolor=white:fontsize=h/16:x=(w-text_w)/2:y=h*0.42,"
      "drawtext=fontfile=" +
      font + ":text='" + EscapeDrawtext(spec.subtitle) +
      "':fontcolor=white@0.85:fontsize=h/30:x=(w-text_w)/2:y=h*0.52,"
      "drawtext=fontfile=" +
      font +
      ":text='%{eif\\:t+1\\:d}s':fontcolor=white:fontsize=h/22:"
      "x=w-text_w-20:y=20,format=yuv420p[v]";
  const auto tmp = video_path + ".tmp.mp4";
  auto r = RunProcess(
      {"ffmpeg",
       "-hide_banner",
       "-loglevel",
       "error",
       "-y",
       "-f",
       "lavfi",
       "-i",
       "color=c=0x" + spec.background_hex + ":s=" + size + ":d=" + duration + ":r=24",
       "-f",
       "lavfi",
       "-i",
       "testsrc2=s=" + size + ":d=" + duration + ":r=24",
       "-f",
       "lavfi",
       "-i",
       "sine=frequency=" + std::to_string(220 + (spec.title.size() * 37) % 600) + ":d=" + duration,
       "-filter_complex",
       filter,
       "-map",
       "[v]",
       "-map",
       "2:a",
       "-c:v",
       "libx264",
       "-preset",
       "veryfast",
       "-crf",
       "28",
       "-profile:v",
       "main",
       "-c:a",
       "aac",
       "-b:a",
       "64k",
       "-shortest",
       "-movflags",
       "+faststart",
       tmp},
      std::chrono::seconds(120));
  if (r.exit_code != 0) throw std::runtime_error("ffmpeg failed: " + r.output);
  std::filesystem::rename(tmp, video_path);
  r = RunProcess({"ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-ss", "1", "-i",
                  video_path, "-frames:v", "1", "-q:v", "4", poster_path},
                 std::chrono::seconds(60));
  if (r.exit_code != 0) throw std::runtime_error("ffmpeg poster failed: " + r.output);
}

}  // namespace aimoviez::media
