// LineEditor: the line editing of `zkit shell`, over termios (no readline: its GPL does not go
// with Apache-2.0). Keys: printable text, Left/Right, Home/End (and Ctrl-A/Ctrl-E),
// Backspace, Delete, Ctrl-K/Ctrl-U/Ctrl-W (kill to end, to start, a word), Up/Down (history),
// Tab (completion), Ctrl-L (clear), Ctrl-C (drop the line), Ctrl-D on an empty line (end).
//
// While it waits for a key it also watches `wake_fd`: when that becomes readable it calls
// `on_wake`, which may print lines with print_above(); the prompt and the half-typed line are
// drawn again under them. On a non-terminal input it reads plain lines, echoing nothing.
#pragma once

#include <termios.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zkit::cli {

class LineEditor {
 public:
  // Completions of the word that starts at `word_start` in `line` (the text before the cursor):
  // each a whole replacement for that word.
  using Completer = std::function<std::vector<std::string>(std::string_view line, std::size_t word_start)>;

  LineEditor(int in_fd, int out_fd, Completer completer);
  ~LineEditor();  // the terminal as it was
  LineEditor(const LineEditor&) = delete;
  LineEditor& operator=(const LineEditor&) = delete;

  bool terminal() const noexcept { return terminal_; }

  // The next line (without its newline), or nullopt at the end of input (Ctrl-D, EOF).
  std::optional<std::string> read_line(const std::string& prompt, int wake_fd,
                                       const std::function<void()>& on_wake);

  // Writes `text` (whole lines) above the line being edited, or just writes it when no line
  // is being edited.
  void print_above(std::string_view text);

  // History: a line is added after it is read (not blank, not a repeat of the last one).
  const std::vector<std::string>& history() const noexcept { return history_; }
  void load_history(const std::string& file);
  void save_history(const std::string& file) const;

 private:
  void raw_on();
  void raw_off();
  void redraw();
  void write_out(std::string_view s);
  void complete();
  void insert(std::string_view text);
  std::size_t columns(std::size_t from, std::size_t to) const;  // code points between two offsets
  std::size_t prev_boundary(std::size_t at) const;
  std::size_t next_boundary(std::size_t at) const;
  std::optional<std::string> read_plain_line(int wake_fd, const std::function<void()>& on_wake);

  int in_, out_;
  Completer completer_;
  bool terminal_ = false;
  bool raw_ = false;
  bool editing_ = false;
  termios saved_{};
  std::string prompt_, buf_;
  std::size_t cursor_ = 0;  // byte offset into buf_, always at a code point boundary
  std::vector<std::string> history_;
  std::size_t history_at_ = 0;  // history_.size(): the line being typed
  std::string typed_;           // the line being typed while browsing history
  std::string pending_;         // plain mode: bytes read after the last newline
};

}  // namespace zkit::cli
