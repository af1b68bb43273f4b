// zkit shell: an interactive session. Each line is a zkit command without the `zkit` (ls /a,
// create -p /a/b x, get /a --json ...) run on the shell's one session, plus the shell's own:
// watch PATH (a persistent watch whose events are printed as they come, also while typing),
// unwatch PATH, history, help, exit. On a terminal: line editing, history (kept in
// $ZKIT_HISTORY, default ~/.zkit_history), Tab completion of commands and of paths (asked
// from the server) and colours (none with NO_COLOR set); piped, plain lines in and out.
#pragma once

#include <string>
#include <vector>

#include "args.hpp"
#include "zkit/client.hpp"

namespace zkit::cli {

// Runs until exit, Ctrl-D or the end of standard input. A failed command is reported and the
// shell goes on; the result is an error only when the session itself ended (expired).
Result<void> run_shell(Client& client, const Invocation& inv);

// Splits a shell line into words: blanks separate, '...' and "..." quote, backslash escapes.
// Errors: bad_arguments for an unterminated quote.
Result<std::vector<std::string>> split_words(std::string_view line);

}  // namespace zkit::cli
