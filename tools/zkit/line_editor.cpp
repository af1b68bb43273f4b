#include "line_editor.hpp"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <fstream>

namespace zkit::cli {
namespace {

constexpr std::size_t kHistoryMax = 1000;

bool continuation(char c) { return (static_cast<unsigned char>(c) & 0xc0) == 0x80; }

// The longest prefix every candidate shares.
std::string common_prefix(const std::vector<std::string>& words) {
  std::string prefix = words.front();
  for (auto& w : words) {
    std::size_t n = 0;
    while (n < prefix.size() && n < w.size() && prefix[n] == w[n]) ++n;
    prefix.resize(n);
  }
  return prefix;
}

}  // namespace

LineEditor::LineEditor(int in_fd, int out_fd, Completer completer)
    : in_(in_fd), out_(out_fd), completer_(std::move(completer)) {
  terminal_ = isatty(in_) && isatty(out_) && tcgetattr(in_, &saved_) == 0;
}

LineEditor::~LineEditor() { raw_off(); }

void LineEditor::raw_on() {
  if (!terminal_ || raw_) return;
  termios t = saved_;
  // Keys one at a time, no echo, Ctrl-C and Ctrl-Z as keys; output processing stays on so
  // that '\n' still moves to the start of the next line.
  t.c_lflag &= ~static_cast<tcflag_t>(ICANON | ECHO | ISIG | IEXTEN);
  t.c_iflag &= ~static_cast<tcflag_t>(IXON | ICRNL | INLCR);
  t.c_cc[VMIN] = 1;
  t.c_cc[VTIME] = 0;
  raw_ = tcsetattr(in_, TCSANOW, &t) == 0;
}

void LineEditor::raw_off() {
  if (!raw_) return;
  tcsetattr(in_, TCSANOW, &saved_);
  raw_ = false;
}

void LineEditor::write_out(std::string_view s) {
  while (!s.empty()) {
    ssize_t n = ::write(out_, s.data(), s.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    s.remove_prefix(static_cast<std::size_t>(n));
  }
}

std::size_t LineEditor::columns(std::size_t from, std::size_t to) const {
  std::size_t n = 0;
  for (std::size_t i = from; i < to; ++i)
    if (!continuation(buf_[i])) ++n;
  return n;
}

std::size_t LineEditor::prev_boundary(std::size_t at) const {
  if (at == 0) return 0;
  do --at;
  while (at > 0 && continuation(buf_[at]));
  return at;
}

std::size_t LineEditor::next_boundary(std::size_t at) const {
  if (at >= buf_.size()) return buf_.size();
  do ++at;
  while (at < buf_.size() && continuation(buf_[at]));
  return at;
}

void LineEditor::redraw() {
  std::string s = "\r" + prompt_ + buf_ + "\x1b[K";
  if (std::size_t back = columns(cursor_, buf_.size()); back > 0)
    s += "\x1b[" + std::to_string(back) + "D";
  write_out(s);
}

void LineEditor::print_above(std::string_view text) {
  if (!editing_ || !terminal_) return write_out(text);
  write_out("\r\x1b[K");
  write_out(text);
  redraw();
}

void LineEditor::insert(std::string_view text) {
  buf_.insert(cursor_, text);
  cursor_ += text.size();
}

void LineEditor::complete() {
  if (!completer_) return;
  std::string_view before(buf_.data(), cursor_);
  std::size_t start = before.find_last_of(' ');
  start = start == std::string_view::npos ? 0 : start + 1;
  auto candidates = completer_(before, start);
  if (candidates.empty()) {
    write_out("\a");
    return;
  }
  std::string word(before.substr(start));
  std::string prefix = common_prefix(candidates);
  if (candidates.size() == 1) {
    // A command word is done; a path may go on (with '/' for its children).
    bool path = !prefix.empty() && prefix.front() == '/';
    buf_.replace(start, cursor_ - start, prefix + (path ? "" : " "));
    cursor_ = start + prefix.size() + (path ? 0 : 1);
    return redraw();
  }
  if (prefix.size() > word.size()) {
    buf_.replace(start, cursor_ - start, prefix);
    cursor_ = start + prefix.size();
    return redraw();
  }
  std::string list;
  for (auto& c : candidates) list += (list.empty() ? "" : "  ") + c;
  print_above(list + "\n");
}

std::optional<std::string> LineEditor::read_plain_line(int wake_fd,
                                                       const std::function<void()>& on_wake) {
  for (;;) {
    if (auto nl = pending_.find('\n'); nl != std::string::npos) {
      std::string line = pending_.substr(0, nl);
      pending_.erase(0, nl + 1);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      return line;
    }
    pollfd fds[2] = {{in_, POLLIN, 0}, {wake_fd, POLLIN, 0}};
    int n = ::poll(fds, wake_fd >= 0 ? 2 : 1, -1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return std::nullopt;
    if (wake_fd >= 0 && (fds[1].revents & POLLIN) && on_wake) on_wake();
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      char chunk[4096];
      ssize_t got = ::read(in_, chunk, sizeof chunk);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) {
        if (pending_.empty()) return std::nullopt;
        std::string line = std::move(pending_);  // a last line without its newline
        pending_.clear();
        return line;
      }
      pending_.append(chunk, static_cast<std::size_t>(got));
    }
  }
}

std::optional<std::string> LineEditor::read_line(const std::string& prompt, int wake_fd,
                                                 const std::function<void()>& on_wake) {
  if (!terminal_) return read_plain_line(wake_fd, on_wake);
  prompt_ = prompt;
  buf_.clear();
  cursor_ = 0;
  history_at_ = history_.size();
  raw_on();
  editing_ = true;
  redraw();
  std::string keys;  // bytes read, not yet taken as keys (an escape sequence may be split)
  auto finish = [&](std::optional<std::string> line) {
    editing_ = false;
    write_out("\r\n");
    raw_off();
    if (line && line->find_first_not_of(' ') != std::string::npos &&
        (history_.empty() || history_.back() != *line)) {
      history_.push_back(*line);
      if (history_.size() > kHistoryMax) history_.erase(history_.begin());
    }
    return line;
  };
  auto show_history = [&](std::size_t at) {
    if (history_at_ == history_.size()) typed_ = buf_;
    history_at_ = at;
    buf_ = at == history_.size() ? typed_ : history_[at];
    cursor_ = buf_.size();
    redraw();
  };

  for (;;) {
    pollfd fds[2] = {{in_, POLLIN, 0}, {wake_fd, POLLIN, 0}};
    int n = ::poll(fds, wake_fd >= 0 ? 2 : 1, -1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return finish(std::nullopt);
    if (wake_fd >= 0 && (fds[1].revents & POLLIN) && on_wake) on_wake();
    if (!(fds[0].revents & (POLLIN | POLLHUP | POLLERR))) continue;
    char chunk[256];
    ssize_t got = ::read(in_, chunk, sizeof chunk);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return finish(std::nullopt);
    keys.append(chunk, static_cast<std::size_t>(got));

    while (!keys.empty()) {
      unsigned char c = static_cast<unsigned char>(keys[0]);
      if (c == 0x1b) {
        // ESC [ params final, or ESC O final.
        if (keys.size() < 2) break;
        std::size_t end = 0;
        if (keys[1] == 'O' && keys.size() >= 3) end = 3;
        else if (keys[1] == '[') {
          for (std::size_t i = 2; i < keys.size(); ++i)
            if (keys[i] >= 0x40 && keys[i] <= 0x7e) {
              end = i + 1;
              break;
            }
        } else {
          end = 2;  // Alt-key: ignored
        }
        if (end == 0) break;  // wait for the rest
        std::string seq = keys.substr(1, end - 1);
        keys.erase(0, end);
        if (seq == "[D" || seq == "OD") cursor_ = prev_boundary(cursor_);
        else if (seq == "[C" || seq == "OC") cursor_ = next_boundary(cursor_);
        else if (seq == "[H" || seq == "OH" || seq == "[1~") cursor_ = 0;
        else if (seq == "[F" || seq == "OF" || seq == "[4~") cursor_ = buf_.size();
        else if (seq == "[3~") {
          if (cursor_ < buf_.size()) buf_.erase(cursor_, next_boundary(cursor_) - cursor_);
        } else if (seq == "[A" || seq == "OA") {
          if (history_at_ > 0) show_history(history_at_ - 1);
          continue;
        } else if (seq == "[B" || seq == "OB") {
          if (history_at_ < history_.size()) show_history(history_at_ + 1);
          continue;
        }
        redraw();
        continue;
      }
      keys.erase(0, 1);
      switch (c) {
        case '\r':
        case '\n': return finish(buf_);
        case 0x03:  // Ctrl-C: drop the line, a fresh prompt
          write_out("^C");
          buf_.clear();
          cursor_ = 0;
          history_at_ = history_.size();
          write_out("\r\n");
          redraw();
          continue;
        case 0x04:  // Ctrl-D: the end on an empty line, else delete under the cursor
          if (buf_.empty()) return finish(std::nullopt);
          if (cursor_ < buf_.size()) buf_.erase(cursor_, next_boundary(cursor_) - cursor_);
          break;
        case 0x01: cursor_ = 0; break;
        case 0x05: cursor_ = buf_.size(); break;
        case 0x02: cursor_ = prev_boundary(cursor_); break;
        case 0x06: cursor_ = next_boundary(cursor_); break;
        case 0x0b: buf_.erase(cursor_); break;
        case 0x15:
          buf_.erase(0, cursor_);
          cursor_ = 0;
          break;
        case 0x17: {  // Ctrl-W: the word before the cursor
          std::size_t start = cursor_;
          while (start > 0 && buf_[start - 1] == ' ') --start;
          while (start > 0 && buf_[start - 1] != ' ') --start;
          buf_.erase(start, cursor_ - start);
          cursor_ = start;
          break;
        }
        case 0x0c: write_out("\x1b[H\x1b[2J"); break;
        case '\t': complete(); continue;
        case 0x7f:
        case 0x08:
          if (cursor_ > 0) {
            std::size_t from = prev_boundary(cursor_);
            buf_.erase(from, cursor_ - from);
            cursor_ = from;
          }
          break;
        default:
          if (c < 0x20) continue;  // other control keys: ignored
          insert(std::string_view(reinterpret_cast<const char*>(&c), 1));
          // The rest of a multi-byte character comes in before we draw.
          while (!keys.empty() && continuation(keys[0])) {
            insert(std::string_view(keys.data(), 1));
            keys.erase(0, 1);
          }
          break;
      }
      redraw();
    }
  }
}

void LineEditor::load_history(const std::string& file) {
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) history_.push_back(line);
  if (history_.size() > kHistoryMax)
    history_.erase(history_.begin(), history_.end() - static_cast<std::ptrdiff_t>(kHistoryMax));
}

void LineEditor::save_history(const std::string& file) const {
  std::ofstream out(file, std::ios::trunc);
  for (auto& line : history_) out << line << '\n';
}

}  // namespace zkit::cli
