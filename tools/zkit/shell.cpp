#include "shell.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <map>
#include <mutex>

#include "commands.hpp"
#include "exit_codes.hpp"
#include "line_editor.hpp"
#include "output.hpp"
#include "report.hpp"
#include "usage.hpp"

namespace zkit::cli {
namespace {

// The words the shell completes first: its own and the commands it runs.
constexpr const char* kShellWords[] = {
    "ls", "tree", "find", "get", "set", "create", "delete", "deleteall", "stat", "sync",
    "whoami", "config", "reconfig", "stats", "dump", "restore", "watch", "unwatch",
    "history", "help", "exit", "quit"};

constexpr const char* kShellHelp = R"(commands (each as 'zkit COMMAND', without the zkit; COMMAND --help for more):
  ls [-R] PATH   tree [PATH]   find [PATH] [--name GLOB]   get PATH   stat PATH
  set PATH DATA [--version N]   create [-p] PATH [DATA] [...]   delete PATH   deleteall PATH
  sync [PATH]   whoami   config   reconfig ...   stats   dump [PATH]   restore FILE
  watch PATH    print every change under PATH as it happens (a persistent recursive watch)
  unwatch PATH  stop that
  history       the lines typed so far
  exit, quit    leave (or Ctrl-D)
)";

// Colours only when standard output is a terminal and NO_COLOR is unset.
struct Palette {
  bool on = false;
  std::string paint(const char* code, std::string_view text) const {
    if (!on) return std::string(text);
    return std::string("\x1b[") + code + "m" + std::string(text) + "\x1b[0m";
  }
};

// Watch events from the Client's thread to the shell's: a queue and a pipe to wake poll().
class EventPipe {
 public:
  EventPipe() {
    if (::pipe2(fds_, O_CLOEXEC | O_NONBLOCK) != 0) fds_[0] = fds_[1] = -1;
  }
  ~EventPipe() {
    for (int fd : fds_)
      if (fd >= 0) ::close(fd);
  }
  int read_fd() const { return fds_[0]; }
  void post(std::string line) {
    {
      std::lock_guard lock(mu_);
      lines_.push_back(std::move(line));
    }
    char b = 1;
    [[maybe_unused]] auto n = ::write(fds_[1], &b, 1);
  }
  std::deque<std::string> take() {
    char buf[256];
    while (::read(fds_[0], buf, sizeof buf) > 0) {
    }
    std::lock_guard lock(mu_);
    return std::exchange(lines_, {});
  }

 private:
  int fds_[2] = {-1, -1};
  std::mutex mu_;
  std::deque<std::string> lines_;
};

std::string history_file() {
  if (const char* f = std::getenv("ZKIT_HISTORY"); f && *f) return f;
  if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.zkit_history";
  return {};
}

// Completions: command words for the first word, server paths for a word starting with '/'.
std::vector<std::string> completions(Client& client, std::string_view line, std::size_t start) {
  std::string word(line.substr(start));
  std::vector<std::string> out;
  if (line.substr(0, start).find_first_not_of(' ') == std::string_view::npos) {
    for (const char* w : kShellWords)
      if (std::string_view(w).starts_with(word)) out.emplace_back(w);
    return out;
  }
  if (word.empty() || word[0] != '/') return out;
  std::size_t slash = word.rfind('/');
  std::string parent = slash == 0 ? "/" : word.substr(0, slash);
  std::string prefix = word.substr(slash + 1);
  auto children = client.get_children(parent);
  if (!children) return out;
  for (auto& name : children->names)
    if (name.starts_with(prefix)) out.push_back((parent == "/" ? "" : parent) + "/" + name);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

Result<std::vector<std::string>> split_words(std::string_view line) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quote) {
      if (c == quote) quote = 0;
      else if (c == '\\' && quote == '"' && i + 1 < line.size()) word += line[++i];
      else word += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
    } else if (c == '\\' && i + 1 < line.size()) {
      word += line[++i];
      in_word = true;
    } else if (c == ' ' || c == '\t') {
      if (in_word) words.push_back(std::exchange(word, {}));
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (quote) return Error(Errc::bad_arguments, std::string("unterminated ") + quote + " quote");
  if (in_word) words.push_back(std::move(word));
  return words;
}

Result<void> run_shell(Client& client, const Invocation& inv) {
  Palette palette{isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr};
  EventPipe events;
  std::map<std::string, WatchHandle> watches;
  LineEditor editor(STDIN_FILENO, STDOUT_FILENO,
                    [&](std::string_view line, std::size_t start) { return completions(client, line, start); });
  const std::string hist = history_file();
  if (editor.terminal() && !hist.empty()) editor.load_history(hist);
  const std::string prompt = palette.paint("1;34", "zkit " + inv.connect.value_or("")) + "> ";
  auto print_events = [&] {
    for (auto& line : events.take()) editor.print_above(palette.paint("33", line) + "\n");
    std::fflush(stdout);
  };
  auto error_line = [&](const std::string& text) {
    std::fflush(stdout);
    std::string s = palette.paint("31", text) + "\n";
    std::fputs(s.c_str(), stderr);
  };

  for (;;) {
    print_events();
    auto line = editor.read_line(prompt, events.read_fd(), print_events);
    if (!line) break;
    auto words = split_words(*line);
    if (!words) {
      error_line("zkit: " + words.error().message());
      continue;
    }
    if (words->empty()) continue;
    const std::string& cmd = words->front();
    if (cmd == "exit" || cmd == "quit") break;
    if (cmd == "help" && words->size() == 1) {
      std::fputs(kShellHelp, stdout);
      continue;
    }
    if (cmd == "history") {
      for (std::size_t i = 0; i < editor.history().size(); ++i)
        std::printf("%4zu  %s\n", i + 1, editor.history()[i].c_str());
      std::fflush(stdout);
      continue;
    }
    if ((cmd == "watch" || cmd == "unwatch") && words->size() == 2) {
      const std::string& path = (*words)[1];
      if (auto ok = validate_path(path); !ok) {
        error_line("zkit: " + cmd + ": " + ok.error().message());
        continue;
      }
      if (cmd == "unwatch") {
        if (watches.erase(path) == 0) error_line("zkit: unwatch: no watch on " + path);
        continue;
      }
      auto h = client.add_watch(path, WatchMode::persistent_recursive, [&events](const WatchEvent& e) {
        if (e.type == EventType::none)
          events.post("watch: session " + std::string(to_string(e.state)));
        else
          events.post("watch: " + std::string(to_string(e.type)) + " " + e.path);
      });
      if (!h) {
        error_line("zkit: watch " + path + ": " + std::string(to_string(h.error().code())) + ": " + h.error().message());
        continue;
      }
      watches[path] = std::move(*h);
      std::printf("watching %s\n", path.c_str());
      std::fflush(stdout);
      continue;
    }

    std::vector<const char*> argv{"zkit"};
    for (auto& w : *words) argv.push_back(w.c_str());
    auto parsed = parse_args(static_cast<int>(argv.size()), argv.data());
    if (!parsed) {
      error_line("zkit: " + parsed.error().message());
      continue;
    }
    Invocation one = std::move(*parsed);
    if (one.verb == Verb::help) {
      std::fputs(help_text(one.help_for).c_str(), stdout);
      continue;
    }
    switch (one.verb) {
      case Verb::serve: case Verb::lock: case Verb::elect: case Verb::shell: case Verb::watch:
      case Verb::version:
        error_line("zkit: " + std::string(name_of(one.verb)) + " is not available in the shell");
        continue;
      default: break;
    }
    one.connect = inv.connect;
    Printer out(one.json);
    auto r = run_operation(client, one, out);
    std::fflush(stdout);
    if (!r) {
      std::string what = std::string(name_of(one.verb)) + (one.path.empty() ? "" : " " + one.path);
      if (palette.on) std::fputs("\x1b[31m", stderr);
      report(what, r.error(), one.verb, one.path, one.json, exit_code_for(r.error()));
      if (palette.on) std::fputs("\x1b[0m", stderr);
      if (r.error() == Errc::session_expired || r.error() == Errc::closing) {
        if (editor.terminal() && !hist.empty()) editor.save_history(hist);
        return r;
      }
    }
  }
  if (editor.terminal() && !hist.empty()) editor.save_history(hist);
  return {};
}

}  // namespace zkit::cli
